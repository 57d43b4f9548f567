import ArgumentParser
import FileTools
import SparseFormats
import SparseIO

extension SparseLayout: ExpressibleByArgument {}

/// Element types as the command line names them: `f64`, `f32`, `f16`, `bf16`.
extension ElementType: ExpressibleByArgument {}

extension LoadedFile {
    /// One line for the CLI: what was written.
    var writtenSummary: String {
        switch self {
        case let .dense(t):
            return "dense \(t.dtype.rawValue) \(TextFormat.shape(t.shape))"
        case let .sparse(m):
            var text = "\(m.formatName) \(m.elementType.rawValue) \(m.rows) x \(m.columns), \(m.storedCount) stored entries"
            if case let .bsr(b) = m { text += " in \(b.blockShape.rows)x\(b.blockShape.columns) blocks" }
            return text
        case let .tensors(c):
            return "\(c.count) dense tensor\(c.count == 1 ? "" : "s")"
        }
    }
}
