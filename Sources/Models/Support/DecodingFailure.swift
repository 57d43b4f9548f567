import Foundation

/// Where a JSON decoding error is (`model.vocab`, `added_tokens[3].id`) and what is wrong there.
struct DecodingFailure: Sendable, Equatable {
    var codingPath: String
    var reason: String

    init(_ error: any Error) {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
                .trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch error {
        case let DecodingError.keyNotFound(key, context):
            (codingPath, reason) = (path(context), "missing '\(key.stringValue)'")
        case let DecodingError.typeMismatch(type, context):
            (codingPath, reason) = (path(context), "expected \(type): \(context.debugDescription)")
        case let DecodingError.valueNotFound(type, context):
            (codingPath, reason) = (path(context), "expected \(type), found null")
        case let DecodingError.dataCorrupted(context):
            (codingPath, reason) = (path(context), context.debugDescription)
        default:
            (codingPath, reason) = ("", "\(error)")
        }
    }
}
