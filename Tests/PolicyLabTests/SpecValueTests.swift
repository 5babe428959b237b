import Testing
@testable import PolicyLab

/// YAML input the spec reader must refuse cleanly (found by a review of the spec reader:
/// nested aliases expanded exponentially, and parser errors quoted whole megabyte lines).
@Suite("Spec YAML: aliases, implicit nulls, large and deep documents")
struct SpecValueTests {
    func specError(_ yaml: String) -> SpecError? {
        do {
            _ = try SpecValue.parse(yaml: yaml, file: "spec.yaml")
            return nil
        } catch let error as SpecError {
            return error
        } catch {
            Issue.record("untyped error \(error)")
            return nil
        }
    }

    @Test("an alias is refused at its use, with the line, before anything is expanded")
    func aliases() throws {
        let plain = try #require(specError("model: &m {data: x.csv}\npopulation: *m\n"))
        // Reported at the anchored value (line 1, column 8: `&m {…}`), under the path that reuses it.
        #expect(plain.line == 1 && plain.column == 8 && plain.path == "population", "\(plain)")
        #expect(plain.description.contains("YAML alias"), "\(plain)")
        let scalar = try #require(specError("a: &v 3\nb: *v\n"))
        #expect(scalar.path == "b", "\(scalar)")
        let merge = try #require(specError("base: &b {draws: 4}\nsimulation:\n  <<: *b\n  seed: 1\n"))
        #expect(merge.description.contains("alias"), "\(merge)")
        // "Billion laughs": ten levels of ten aliases each would be 10^10 values if expanded.
        var lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        for level in 1...10 {
            lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]")
        }
        let laughs = try #require(specError(lines.joined(separator: "\n")))
        #expect(laughs.path == "a1[0]" && laughs.line == 1, "\(laughs)")  // the first reuse of a0's list
    }

    @Test("implicit nulls share positions with later tokens and are not mistaken for aliases")
    func implicitNulls() throws {
        let yaml = """
        a:
        b:
          c:
          d:
        e:
          -
          - f:
          -
        g: {h: , i: 1}
        j: [k, {l: }]
        m: 2
        """
        let value = try SpecValue.parse(yaml: yaml, file: "spec.yaml")
        guard case let .mapping(entries, _, _) = value else {
            Issue.record("not a mapping: \(value)")
            return
        }
        #expect(entries.map(\.key) == ["a", "b", "e", "g", "j", "m"])
    }

    @Test("a mapping with many keys parses, and a repeated key is still found")
    func manyKeys() throws {
        let keys = (0..<20_000).map { "k\($0): \($0)" }
        guard case let .mapping(entries, _, _) = try SpecValue.parse(yaml: keys.joined(separator: "\n"), file: "spec.yaml") else {
            Issue.record("not a mapping")
            return
        }
        #expect(entries.count == 20_000)
        // Yams finds a repeated key itself; the message names it and stays short.
        let repeated = try #require(specError((keys + ["k17: 1"]).joined(separator: "\n")))
        #expect(repeated.description.contains("'k17'") && repeated.description.count < 5_000, "\(repeated.description.prefix(300))")
    }

    @Test("positions are the 1-based line and column of the value or key at fault")
    func positions() throws {
        let text = "model: {data: x.csv}\nsimulation:\n  draws: 10\n  draws: 11\n"
        let twice = try #require(specError(text))
        #expect(twice.description.contains("draws"), "\(twice)")
        let value = try SpecValue.parse(yaml: "a: 1\nb:\n  c: [x, y]\n", file: "spec.yaml")
        guard case let .mapping(entries, _, _) = value, case let .mapping(inner, line, column) = entries[1].value,
              case let .sequence(items, _, _) = inner[0].value else {
            Issue.record("unexpected shape \(value)")
            return
        }
        #expect(entries[0].value.line == 1 && entries[0].value.column == 4)
        #expect(line == 3 && column == 3)
        #expect(items[1].line == 3 && items[1].column == 10)
    }

    @Test("a parser error on a huge line quotes at most 200 characters of it")
    func longLineError() throws {
        let deep = "model: " + String(repeating: "[", count: 50_000) + String(repeating: "]", count: 50_000)
        let error = try #require(specError(deep))
        #expect(error.description.contains("not valid YAML"), "\(error.description.prefix(300))")
        #expect(error.description.count < 2_000, "\(error.description.count) characters")
    }
}
