import LinearAlgebra
import Tabular

/// The data table of a pipeline spec.
public enum PipelineData {
    /// Reads the CSV or generates the registry.
    /// - Throws: Tabular errors for the CSV; `PolicyLabError` for generator settings.
    public static func table(_ spec: PipelineSpec, parallelism: Parallelism) throws -> Table {
        switch spec.data {
        case let .csv(path): return try CSVReader.read(path: path, options: CSVOptions(parallelism: parallelism))
        case let .generate(households, provinces, seed): return try SyntheticRegistry.generate(households: households, seed: seed, provinces: provinces)
        }
    }
}
