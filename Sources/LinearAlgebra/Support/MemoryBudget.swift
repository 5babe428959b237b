import Foundation

/// The memory a request driven by a user's number (draws, variates, households) may ask for.
/// An allocation Swift cannot satisfy traps, so such sizes are compared with the machine
/// before they are allocated and refused with a typed error naming the number to lower.
/// The check is deliberately coarse: it rejects what cannot fit at all, not what merely swaps.
public enum MemoryBudget {
    /// The bytes this process could have: physical memory (`ProcessInfo.physicalMemory`), or
    /// the cgroup v2 limit (`/sys/fs/cgroup/memory.max`) when that is lower. Read once per
    /// process (checks run on every bulk fill of every replicate).
    public static let availableBytes: Int = readAvailableBytes()

    private static func readAvailableBytes() -> Int {
        let physical = Int(clamping: ProcessInfo.processInfo.physicalMemory)
        guard let text = try? String(contentsOfFile: "/sys/fs/cgroup/memory.max", encoding: .utf8),
              let limit = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), limit > 0 else { return physical }
        return Swift.min(physical, limit)
    }

    /// The bytes of `count` items of `bytesPerItem` bytes when they fit in `availableBytes`,
    /// else nil (also for a negative count or an overflowing product).
    public static func bytesIfAvailable(_ count: Int, bytesPerItem: Int) -> Int? {
        guard count >= 0, bytesPerItem >= 0 else { return nil }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: bytesPerItem)
        guard !overflow, bytes <= availableBytes else { return nil }
        return bytes
    }

    /// A request and the machine in words: "8.8 TB, more than the 24.0 GB this machine has".
    public static func shortfall(_ count: Int, bytesPerItem: Int) -> String {
        let bytes = Double(Swift.max(0, count)) * Double(Swift.max(0, bytesPerItem))
        return "\(describe(bytes)), more than the \(describe(Double(availableBytes))) this machine has"
    }

    /// Bytes as B, kB, MB, GB or TB with one decimal (powers of 1000).
    public static func describe(_ bytes: Double) -> String {
        let units = ["B", "kB", "MB", "GB", "TB", "PB", "EB"]
        var value = bytes
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(Int(value)) B" : String(format: "%.1f %@", value, units[unit])
    }
}
