/// Three integers: a CUDA grid or block shape.
package struct LaunchDimensions: Sendable, Hashable, Codable, CustomStringConvertible {
    package var x: Int
    package var y: Int
    package var z: Int

    package init(x: Int, y: Int = 1, z: Int = 1) {
        self.x = x
        self.y = y
        self.z = z
    }

    package var description: String { "(\(x),\(y),\(z))" }

    /// Blocks of `per` that cover `count` (0 when `per` is not positive).
    package static func blocks(_ count: Int, _ per: Int) -> Int { per > 0 ? (count + per - 1) / per : 0 }
}
