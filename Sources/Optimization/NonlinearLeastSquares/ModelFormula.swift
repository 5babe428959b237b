/// A nonlinear model formula `response ~ model`, e.g. `y ~ b1*(1-exp(-b2*x))`.
///
/// The response side may itself be an expression of data columns (`log(y) ~ …`, as in
/// NIST's Nelson problem); it must not contain parameters. The formula is parsed once;
/// binding names to columns and parameters happens in `NonlinearModel`.
public struct ModelFormula: Sendable, Equatable, CustomStringConvertible {
    /// The formula text as given.
    public let text: String
    /// The left-hand side (data only).
    public let response: ModelExpression
    /// The right-hand side: the model function of data and parameters.
    public let model: ModelExpression

    /// Parses `text`.
    /// - Throws: `NLSError.parse` with the 1-based character position and what was expected
    ///   (for instance a missing `~`, an unbalanced parenthesis, an unknown function).
    /// - Complexity: O(length of `text`).
    public init(_ text: String) throws {
        var parser = ModelExpressionParser(text)
        let lhs = try parser.parseExpression()
        guard parser.consumeTilde() else {
            throw NLSError.parse(formula: text, position: parser.position,
                                 reason: "expected '~' separating the response from the model (as in 'y ~ b1*x')")
        }
        let rhs = try parser.parseExpression()
        try parser.expectEnd()
        self.text = text
        self.response = lhs
        self.model = rhs
    }

    /// The names on the right-hand side, in order of first appearance.
    public var modelNames: [String] { model.names.map(\.name) }

    /// `response ~ model`, as given.
    public var description: String { text }
}
