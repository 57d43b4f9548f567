/// Three integers: a CUDA grid or block shape.
public struct LaunchDimensions: Sendable, Hashable, Codable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var z: Int

    public init(x: Int, y: Int = 1, z: Int = 1) {
        self.x = x
        self.y = y
        self.z = z
    }

    public var description: String { "(\(x),\(y),\(z))" }

    /// Blocks of `per` that cover `count` (0 when `per` is not positive).
    static func blocks(_ count: Int, _ per: Int) -> Int { per > 0 ? (count + per - 1) / per : 0 }
}
