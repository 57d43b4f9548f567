/// Named dense tensors in file order, with string metadata: a safetensors file or a plain npz.
public struct TensorCollection: Sendable, Hashable {
    /// Tensor names in the order the file lists them (safetensors: by data offset; npz: archive order).
    public private(set) var names: [String] = []
    public private(set) var tensors: [String: AnyDenseTensor] = [:]
    /// safetensors `__metadata__` (string to string); empty for npz.
    public var metadata: [String: String] = [:]

    public init(metadata: [String: String] = [:]) { self.metadata = metadata }

    public subscript(name: String) -> AnyDenseTensor? { tensors[name] }

    public var count: Int { names.count }

    /// Adds a tensor; a name already present is a programming error and traps
    /// (readers check for duplicates and throw first).
    public mutating func append(_ name: String, _ tensor: AnyDenseTensor) {
        precondition(tensors[name] == nil, "TensorCollection: duplicate name \(name)")
        names.append(name)
        tensors[name] = tensor
    }
}
