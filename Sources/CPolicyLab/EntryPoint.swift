import CPolicyLabHeader
import Glibc
import PolicyLab
import Synchronization

/// The C ABI's one failure type: a status code of `policylab.h` and a one-line message.
struct ABIError: Error {
    let status: Int32
    let message: String

    /// A malformed call (POLICYLAB_ERROR_ARGUMENT).
    static func argument(_ message: String) -> ABIError { ABIError(status: POLICYLAB_ERROR_ARGUMENT, message: message) }
}

/// Runs the body of an entry point: returns POLICYLAB_OK and clears the thread's last error, or
/// maps whatever the body threw to a status and records its message. Nothing the body throws
/// escapes into C.
func entryPoint(_ body: () throws -> Void) -> Int32 {
    do {
        try body()
        LastError.clear()
        return POLICYLAB_OK
    } catch {
        let (status, message) = classify(error)
        LastError.set(message)
        return status
    }
}

/// The status code and message of an error of any PolicyLab layer.
func classify(_ error: any Error) -> (Int32, String) {
    switch error {
    case let e as ABIError:
        return (e.status, e.message)
    case let e as RegressionError:
        switch e {
        case .invalidOption, .hypothesis: return (POLICYLAB_ERROR_ARGUMENT, e.description)
        case .notEstimable, .variance, .fixedEffectsNotConverged: return (POLICYLAB_ERROR_DATA, e.description)
        }
    case let e as TabularError:
        switch e {
        case .file: return (POLICYLAB_ERROR_FILE, e.oneLine)
        case .formula, .unknownColumn: return (POLICYLAB_ERROR_ARGUMENT, e.oneLine)
        case .lengthMismatch, .duplicateColumn, .invalidVariable: return (POLICYLAB_ERROR_DATA, e.oneLine)
        }
    case let e as OptimizationError:
        switch e {
        case .nonFiniteStart, .nonFiniteDerivativeAtStart: return (POLICYLAB_ERROR_DATA, e.description)
        default: return (POLICYLAB_ERROR_ARGUMENT, e.description)
        }
    case let e as MonteCarloError:
        if case .invalidArgument = e { return (POLICYLAB_ERROR_ARGUMENT, e.description) }
        return (POLICYLAB_ERROR_DATA, e.description)
    case let e as LinearAlgebraError:
        return (POLICYLAB_ERROR_DATA, e.description)
    case let e as SpecError:
        return (POLICYLAB_ERROR_DATA, e.description)
    case let e as PolicyLabError:
        switch e {
        case .file: return (POLICYLAB_ERROR_FILE, e.description)
        case .invalidArgument: return (POLICYLAB_ERROR_ARGUMENT, e.description)
        }
    default:
        return (POLICYLAB_ERROR_INTERNAL, "internal error: \(error)")
    }
}

/// The per-thread message behind `policylab_last_error()`: a `strdup`ed C string in a pthread
/// key whose destructor frees it when the thread ends.
enum LastError {
    private static let key: pthread_key_t? = {
        var key = pthread_key_t()
        return pthread_key_create(&key, { free($0) }) == 0 ? key : nil
    }()

    /// Replaces the thread's message.
    static func set(_ message: String) {
        guard let key else { return }
        let old = pthread_getspecific(key)
        pthread_setspecific(key, strdup(message))
        free(old)
    }

    /// Forgets the thread's message (the last call succeeded).
    static func clear() {
        guard let key, let old = pthread_getspecific(key) else { return }
        pthread_setspecific(key, nil)
        free(old)
    }

    /// The thread's message, or nil when the last call succeeded.
    static var current: UnsafePointer<CChar>? {
        guard let key, let value = pthread_getspecific(key) else { return nil }
        return UnsafePointer(value.assumingMemoryBound(to: CChar.self))
    }
}

/// The process-wide thread count of `policylab_set_threads` (0: one per core).
let threadSetting = Atomic<Int>(0)

/// The parallelism every entry point passes to PolicyLab.
var currentParallelism: Parallelism {
    let threads = threadSetting.load(ordering: .relaxed)
    return threads == 0 ? .allCores : Parallelism(threads: threads)
}

// MARK: - Argument checks

/// `pointer`, or an argument error naming it when it is NULL.
func required<T>(_ pointer: T?, _ name: String) throws -> T {
    guard let pointer else { throw ABIError.argument("\(name) is NULL") }
    return pointer
}

/// A NUL-terminated UTF-8 argument as a String.
func string(_ pointer: UnsafePointer<CChar>?, _ name: String) throws -> String {
    let p = try required(pointer, name)
    guard let text = String(validatingCString: p) else { throw ABIError.argument("\(name) is not valid UTF-8") }
    return text
}

/// A size argument as an `Int`: at least `minimum`, and small enough that `count` doubles fit
/// the address space.
func size(_ value: Int64, _ name: String, minimum: Int64 = 1) throws -> Int {
    guard value >= minimum else { throw ABIError.argument("\(name) must be at least \(minimum), got \(value)") }
    guard value <= Int64(Int.max / MemoryLayout<Double>.stride) else {
        throw ABIError.argument("\(name) = \(value) is too large")
    }
    return Int(value)
}

/// `a·b` for two sizes, or an argument error when the product would not fit memory.
func product(_ a: Int, _ b: Int, _ name: String) throws -> Int {
    let (p, overflow) = a.multipliedReportingOverflow(by: b)
    guard !overflow, p <= Int.max / MemoryLayout<Double>.stride else { throw ABIError.argument("\(name) = \(a)·\(b) is too large") }
    return p
}

/// The `count` doubles at `pointer` as an array (one copy).
func doubles(_ pointer: UnsafePointer<Double>, count: Int) -> [Double] {
    Array(UnsafeBufferPointer(start: pointer, count: count))
}

/// A library-allocated copy of `text` for a `char **` out-parameter (freed by `policylab_free`).
/// - Throws: `.internal` if the allocation fails.
func allocatedCString(_ text: String) throws -> UnsafeMutablePointer<CChar> {
    guard let copy = strdup(text) else { throw ABIError(status: POLICYLAB_ERROR_INTERNAL, message: "out of memory copying a result string") }
    return copy
}
