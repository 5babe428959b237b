import Testing
@testable import LinearAlgebra

@Suite("Tree depth without recursion")
struct TreeDepthTests {
    /// A tree node: a leaf, or a branch with its children (a chain is branches of one child).
    indirect enum Node { case leaf, branch([Node]) }

    func children(_ node: Node) -> [Node] {
        if case let .branch(nodes) = node { return nodes }
        return []
    }

    @Test func countsTheLongestPathAndStopsPastTheLimit() {
        #expect(TreeDepth.depth(of: Node.leaf, upTo: 10, children: children) == 1)
        let lopsided = Node.branch([.leaf, .branch([.branch([.leaf]), .leaf])])
        #expect(TreeDepth.depth(of: lopsided, upTo: 10, children: children) == 4)
        var chain = Node.leaf
        for _ in 0..<2_000 { chain = .branch([chain]) }
        #expect(TreeDepth.depth(of: chain, upTo: 10_000, children: children) == 2_001)
        #expect(TreeDepth.depth(of: chain, upTo: 100, children: children) == 101)
    }
}
