import ArgumentParser
import Foundation
import PolicyLab

/// `policylab nls DATA.csv --formula F --start b1=…,b2=…`: nonlinear least squares
/// (Levenberg–Marquardt) with standard errors. Bad input exits with code 1 and one line.
struct NLSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nls",
        abstract: "Fit a nonlinear model by least squares: estimates, standard errors, RSS.",
        discussion: """
        Examples:
          policylab nls misra1a.csv --formula 'y ~ b1*(1-exp(-b2*x))' --start b1=500,b2=1e-4
          policylab nls data.csv --formula 'y ~ a*exp(-b*t) + c' --start a=1,b=0.1,c=0 --format json
        """
    )

    @OptionGroup var input: CSVInputOptions
    @Option(help: "Model formula with parameters, e.g. 'y ~ b1*(1-exp(-b2*x))'.") var formula: String
    @Option(help: "Start values of every parameter, e.g. b1=500,b2=1e-4.") var start: String
    @Option(help: "Output format: text or json.") var format: TableOutputFormat = .text
    @Flag(help: "Add geodesic acceleration to the Levenberg–Marquardt steps.") var geodesic = false

    func run() throws {
        try reportingErrors {
            let startPoint = try StartPoint(parsing: start)
            let parsed = try ModelFormula(formula)
            let table = try CSVReader.read(path: input.data, options: try input.csvOptions())
            let model = try NonlinearModel(formula: parsed, table: table, start: startPoint)
            var solver = LevenbergMarquardt()
            solver.parallelism = input.threadOptions.parallelism
            solver.geodesicAcceleration = geodesic
            let report = NLSReport(try solver.fit(model))
            print(format == .json ? try report.json() : report.text)
        }
    }
}
