import Foundation
import LinearAlgebra
import Testing
@testable import Tabular

/// Helpers shared by the CSV test suites.
enum CSVTest {
    /// Reads `text` with the given options (name "test.csv" in error locations).
    static func read(_ text: String, _ options: CSVOptions = .init()) throws -> Table {
        try CSVReader.read(bytes: Array(text.utf8), name: "test.csv", options: options)
    }

    /// The URL of a golden file in Fixtures/csv.
    static func fixture(_ name: String) throws -> String {
        let url = try #require(Bundle.module.resourceURL).appendingPathComponent("Fixtures/csv/\(name)")
        return url.path
    }

    /// Options with the given threads and tiny chunk/block sizes.
    static func options(threads: Int = 1, chunk: Int = 1 << 20, block: Int = 32 << 20,
                        _ change: (inout CSVOptions) -> Void = { _ in }) -> CSVOptions {
        var o = CSVOptions(parallelism: Parallelism(threads: threads), chunkBytes: chunk, blockBytes: block)
        change(&o)
        return o
    }

    /// Whether two tables have the same columns: names, types, validity and values (doubles
    /// compared bit for bit, so NaN equals NaN and −0 differs from +0).
    static func sameColumns(_ a: Table, _ b: Table) -> Bool {
        guard a.columnNames == b.columnNames, a.rowCount == b.rowCount else { return false }
        return zip(a.storedColumns, b.storedColumns).allSatisfy { x, y in
            guard x.validity == y.validity else { return false }
            if case let .double(u) = x.values, case let .double(v) = y.values {
                return u.map(\.bitPattern) == v.map(\.bitPattern)
            }
            return x.values == y.values
        }
    }

    /// The chunks of a streaming read, concatenated column by column (codes are global).
    static func concatenate(_ chunks: [Table]) throws -> Table {
        guard let first = chunks.first else { return try Table(columns: []) }
        var columns: [Column] = []
        for (j, name) in first.columnNames.enumerated() {
            let parts = chunks.map { $0.storedColumns[j] }
            let valid = parts.flatMap { p in (0..<p.count).map { p.validity.isValid($0) } }
            let values: ColumnValues
            switch first.storedColumns[j].values {
            case .double: values = .double(parts.flatMap { if case let .double(v) = $0.values { return v } else { return [] } })
            case .int: values = .int(parts.flatMap { if case let .int(v) = $0.values { return v } else { return [] } })
            case .bool: values = .bool(parts.flatMap { if case let .bool(v) = $0.values { return v } else { return [] } })
            case .categorical:
                var codes: [Int32] = []
                var levels: [String] = []
                for p in parts {
                    guard case let .categorical(c, l) = p.values else { continue }
                    codes += c
                    levels = l
                }
                values = .categorical(codes: codes, levels: levels)
            }
            columns.append(try Column(name: name, values: values, validity: ValidityMask(valid)))
        }
        return try Table(columns: columns)
    }

    /// A small deterministic generator (SplitMix64) for test data.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// The location and reason of a `TabularError.file`, or nil.
    static func fileError(_ body: () throws -> Any) -> (FileLocation, String)? {
        do {
            _ = try body()
            return nil
        } catch let TabularError.file(location, reason) {
            return (location, reason)
        } catch {
            return nil
        }
    }
}
