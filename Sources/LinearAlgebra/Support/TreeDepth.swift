/// The depth of a tree counted without recursion, for parsers that must refuse a tree too deep
/// for the recursive walks that follow (each level of recursion takes stack; a walk of a
/// 30,000-deep tree overflows it).
public enum TreeDepth {
    /// The number of nodes on the longest path from `root` down, visiting `children(node)`
    /// with an explicit stack; stops at the first path longer than `limit` and returns its length.
    /// - Complexity: O(nodes) time and memory.
    public static func depth<Node>(of root: Node, upTo limit: Int, children: (Node) -> [Node]) -> Int {
        var pending: [(node: Node, depth: Int)] = [(root, 1)]
        var deepest = 0
        while let (node, depth) = pending.popLast() {
            deepest = Swift.max(deepest, depth)
            if deepest > limit { return deepest }
            pending.append(contentsOf: children(node).map { ($0, depth + 1) })
        }
        return deepest
    }
}
