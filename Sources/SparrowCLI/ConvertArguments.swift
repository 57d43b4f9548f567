import ArgumentParser
import FileTools
import SparseFormats
import SparseIO

extension SparseLayout: ExpressibleByArgument {}

/// An element type as the command line names it (`f32`, `f64`, `f16`, `bf16`).
enum DTypeArgument: String, ExpressibleByArgument, CaseIterable {
    case f32, f64, f16, bf16

    var elementType: ElementType {
        switch self {
        case .f32: .f32
        case .f64: .f64
        case .f16: .f16
        case .bf16: .bf16
        }
    }
}

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
