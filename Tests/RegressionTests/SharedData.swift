import Foundation

/// Where the tests find shared reference data and their own fixtures.
enum SharedData {
    struct Malformed: Error, CustomStringConvertible { let message: String; var description: String { message } }

    /// <shared>: $POLICYLAB_SHARED_DIR, or ../shared next to the repository (three levels above this file).
    static var directory: URL {
        if let shared = ProcessInfo.processInfo.environment["POLICYLAB_SHARED_DIR"], !shared.isEmpty {
            return URL(fileURLWithPath: shared)
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("../shared").standardizedFileURL
    }

    /// Tests/RegressionTests/Fixtures.
    static var fixtures: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    }
}
