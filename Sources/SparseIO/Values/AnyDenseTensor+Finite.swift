import SparseFormats

extension AnyDenseTensor {
    /// NaN and infinities among the elements, for any rank (``NonFiniteReport``).
    ///
    /// Integer and boolean tensors are always finite. Positions: a 2-D tensor's row and
    /// column; a tensor of other rank is seen as rows of its last dimension (a 1-D tensor
    /// is one row, a 0-d scalar is row 0, column 0), so `first` is the first non-finite
    /// element in C order.
    public var nonFiniteReport: NonFiniteReport {
        // Integer and boolean dtypes have no element type, and no non-finite values.
        dtype.elementType?.visit(NonFiniteCounter(tensor: self)) ?? NonFiniteReport()
    }
}

/// Counts a tensor's non-finite elements with its element type known (so the loop is specialised).
private struct NonFiniteCounter: ElementTypeVisitor {
    let tensor: AnyDenseTensor

    func visit<T: SparseElement>(_: T.Type) -> NonFiniteReport {
        var report = NonFiniteReport()
        let columns = Swift.max(1, tensor.shape.last ?? 1)
        tensor.bytes.withUnsafeBytes { raw in
            // raw holds elementCount * stride bytes (the tensor's invariant); loads are unaligned-safe.
            for index in 0..<tensor.elementCount {
                let value = raw.loadUnaligned(fromByteOffset: index * MemoryLayout<T>.stride, as: T.self)
                guard !value.isFinite else { continue }
                let d = value.doubleValue
                if d.isNaN { report.nanCount += 1 } else if d > 0 { report.positiveInfinityCount += 1 } else { report.negativeInfinityCount += 1 }
                if report.first == nil { report.first = NonFiniteReport.Position(row: index / columns, column: index % columns) }
            }
        }
        return report
    }
}
