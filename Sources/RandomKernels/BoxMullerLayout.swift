// The layout of the two lookup tables the Box–Muller kernel reads. The tables themselves are
// computed once by MonteCarlo (`BoxMullerTables`) and handed to the kernels as pointers:
//   log table: `boxMullerLogEntries` pairs (1/c_j, ln c_j) for the slices of [√½, √2);
//   sine/cosine table: `boxMullerSinCosEntries` pairs (sin 2πk/N, cos 2πk/N).
// The kernels read them without bounds checks (indices come from masked bit fields), so
// both must hold that many pairs and stay allocated while a kernel runs.

/// Bits of the reduced mantissa that select a log slice.
public let boxMullerLogIndexShift: UInt64 = 45
/// √½'s bit pattern: reduced mantissas m in [√½, √2) are this plus a 52-bit offset.
public let boxMullerSqrtHalfBits: UInt64 = 0x3FE6_A09E_667F_3BCD
/// Slices of the log table (128 = 2^(52 − 45)).
public let boxMullerLogEntries = 128
/// Index bits of the sine/cosine table.
public let boxMullerSinCosIndexBits: UInt64 = 10
/// Entries of the sine/cosine table (1024; 16 KiB).
public let boxMullerSinCosEntries = 1024
