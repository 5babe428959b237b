import Testing
@testable import LinearAlgebra

// Programmer errors trap by design (`precondition`), unlike data errors, which throw.
// Exit tests run each body in a child process and expect it to die.

@Suite("Programmer errors trap")
struct ProgrammerErrorTests {
    @Test func outOfRangeSubscriptTraps() async {
        await #expect(processExitsWith: .failure) {
            let a = Matrix(rows: 2, columns: 2)
            _ = a[2, 0]
        }
    }

    @Test func viewOutsideTheMatrixTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = Matrix(rows: 2, columns: 2).view(rows: 0..<3)
        }
    }

    @Test func chunkSizeZeroTraps() async {
        await #expect(processExitsWith: .failure) {
            _ = Parallel.chunks(count: 4, chunkSize: 0)
        }
    }

    @Test func addWithDifferentShapesTraps() async {
        await #expect(processExitsWith: .failure) {
            var a = Matrix(rows: 2, columns: 2)
            a.add(Matrix(rows: 2, columns: 3))
        }
    }
}
