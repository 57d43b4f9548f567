/// The element types a file or a command line may name, as a value.
public enum ElementType: String, Sendable, Hashable, Codable, CaseIterable {
    case f64, f32, f16, bf16

    /// Runs `visitor` with the Swift type that stores elements of this type.
    ///
    /// This switch is the one place an `ElementType` becomes a Swift type; everything else
    /// goes through it (``swiftType`` included). Inlined into the caller, it calls the
    /// visitor with a concrete type, so hot loops in the visitor are specialised.
    @inlinable
    public func visit<V: ElementTypeVisitor>(_ visitor: V) throws(V.Failure) -> V.Output {
        switch self {
        case .f64: try visitor.visit(Double.self)
        case .f32: try visitor.visit(Float.self)
        case .f16: try visitor.visit(Float16.self)
        case .bf16: try visitor.visit(BFloat16.self)
        }
    }

    /// The Swift type that stores elements of this type, as an existential metatype.
    ///
    /// Pass it to a generic function and Swift opens it:
    ///
    /// ```swift
    /// func zeros<T: SparseElement>(_: T.Type, count: Int) -> [T] { Array(repeating: .zero, count: count) }
    /// let values = zeros(element.swiftType, count: 4)
    /// ```
    ///
    /// The opened function runs unspecialised (generic over a type known only at run time);
    /// loops over many elements should use ``visit(_:)`` instead.
    public var swiftType: any SparseElement.Type { visit(SwiftTypeVisitor()) }

    /// The element type of `T` (``SparseElement/elementType``).
    public init<T: SparseElement>(of: T.Type) {
        self = T.elementType
    }

    /// Bytes per element in memory and on disk.
    public var byteWidth: Int { swiftType.byteWidth }
}

/// Code generic over the element type, run by ``ElementType/visit(_:)``: Swift has no generic
/// closures, so the body is a method of a small struct that carries the inputs.
public protocol ElementTypeVisitor {
    /// What the body returns.
    associatedtype Output
    /// What the body throws; `Never` for a body that cannot fail.
    associatedtype Failure: Error = Never
    /// The body, called with the element type's Swift type.
    func visit<T: SparseElement>(_ type: T.Type) throws(Failure) -> Output
}

/// Returns the type itself, for ``ElementType/swiftType``.
private struct SwiftTypeVisitor: ElementTypeVisitor {
    func visit<T: SparseElement>(_ type: T.Type) -> any SparseElement.Type { type }
}
