/// "Did you mean …" suggestions: the names closest to a misspelled one by edit distance.
public enum Suggestions {
    /// Up to `limit` names within an edit distance of max(2, len/3) of `name`, closest first
    /// (case-insensitive matches count as distance 0).
    /// - Complexity: O(names · len²).
    public static func closest(to name: String, in names: [String], limit: Int = 3) -> [String] {
        let target = Array(name.lowercased())
        let bound = Swift.max(2, target.count / 3)
        let scored = names.compactMap { candidate -> (String, Int)? in
            let d = distance(target, Array(candidate.lowercased()))
            return d <= bound ? (candidate, d) : nil
        }
        return scored.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }.prefix(limit).map(\.0)
    }

    /// Levenshtein distance between two character arrays.
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
