import ArgumentParser
import Foundation
import PolicyLab

/// How to read the CSV file: options shared by every command that takes DATA.csv.
struct CSVInputOptions: ParsableArguments {
    @Argument(help: "The CSV file.") var data: String

    @Option(help: "Field delimiter: , ; tab |") var delimiter: String = ","

    @Option(name: .customLong("missing"), help: "Missing-value tokens, comma-separated (default: empty, NA, NaN, .).")
    var missingTokens: String?

    @Option(name: .customLong("type"), help: "Force a column's type: NAME=double|int|bool|categorical (repeatable).")
    var types: [String] = []

    @OptionGroup var threadOptions: ThreadOptions

    /// The reader options these flags describe.
    func csvOptions() throws -> CSVOptions {
        let named: [String: CSVDelimiter] = [",": .comma, ";": .semicolon, "tab": .tab, "\t": .tab, "|": .pipe]
        guard let delimiter = named[self.delimiter] else {
            throw ValidationError("--delimiter must be one of , ; tab |, got '\(self.delimiter)'")
        }
        var options = CSVOptions(delimiter: delimiter, parallelism: threadOptions.parallelism)
        if let missingTokens {
            options.missingTokens = missingTokens.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        }
        for spec in types {
            let parts = spec.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let type = ColumnType(rawValue: parts[1]) else {
                throw ValidationError("--type takes NAME=double|int|bool|categorical, got '\(spec)'")
            }
            options.columnTypes[parts[0]] = type
        }
        return options
    }
}

/// Output format of the table commands.
enum TableOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}

/// Runs `body`, turning a PolicyLab error into a one-line message on standard error and exit
/// code 1; any other error is an internal one: one line and exit code 2.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as ExitCode {
        throw error
    } catch {
        if let message = userMessage(error) {
            FileHandle.standardError.write(Data("error: \(message)\n".utf8))
            throw ExitCode.failure
        }
        // Anything else is a bug in PolicyLab: exit code 2, one line, no stack trace.
        FileHandle.standardError.write(Data("internal error: \(error)\n".utf8))
        throw ExitCode(2)
    }
}

/// The one-line message of an error the user can fix (bad data, options, specs, files), or
/// nil for an internal error.
func userMessage(_ error: any Error) -> String? {
    switch error {
    case let error as TabularError: return error.oneLine
    case let error as NLSError: return error.oneLine
    case let error as CocoaError: return error.localizedDescription   // file-system failures
    case let error as ValidationError: return error.message          // an option checked inside run()
    case is LinearAlgebraError, is RegressionError, is PolicyLabError, is SpecError, is MonteCarloError, is OptimizationError:
        return "\(error)".split(separator: "\n").joined(separator: "; ")
    default: return nil
    }
}

/// `policylab describe DATA.csv`: per-column summary statistics and level counts.
struct DescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Summarize every column of a CSV file: type, count, missing, mean, sd, quartiles, levels.",
        discussion: """
        Examples:
          policylab describe households.csv
          policylab describe survey.csv --format json --delimiter ';' --missing 'NA,-99' --type id=categorical
        """
    )

    @OptionGroup var input: CSVInputOptions
    @Option(help: "Output format: text or json.") var format: TableOutputFormat = .text
    @Option(help: "Levels listed per categorical column.") var levels: Int = 20

    func run() throws {
        try reportingErrors {
            let table = try CSVReader.read(path: input.data, options: try input.csvOptions())
            let summary = try TableSummary(table, source: input.data, levelLimit: max(1, levels))
            print(format == .json ? try summary.json() : summary.text)
        }
    }
}

/// `policylab design DATA.csv --formula F`: the design a formula gives on a file.
struct DesignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "design",
        abstract: "Show the design matrix a formula gives: terms, dimensions, dropped rows, FE and IV parts.",
        discussion: """
        Examples:
          policylab design data.csv --formula 'y ~ x1 + log(x2) + factor(region)'
          policylab design panel.csv --formula 'y ~ x1 | firm + year | d ~ z1 + z2' --cluster firm --format json
        """
    )

    @OptionGroup var input: CSVInputOptions
    @Option(help: "Model formula, R/fixest syntax: 'y ~ x1 + x2 | fe | endog ~ z'.") var formula: String
    @Option(help: "Weight column.") var weights: String?
    @Option(help: "Cluster columns, comma-separated.") var cluster: String?
    @Option(help: "Output format: text or json.") var format: TableOutputFormat = .text

    func run() throws {
        try reportingErrors {
            let options = try input.csvOptions()
            let table = try CSVReader.read(path: input.data, options: options)
            let clusters = cluster.map { $0.split(separator: ",").map(String.init) } ?? []
            let design = try DesignMatrix(formula: formula, table: table, weights: weights, clusters: clusters,
                                          parallelism: options.parallelism)
            let summary = DesignSummary(design, weights: weights)
            print(format == .json ? try summary.json() : summary.text)
        }
    }
}
