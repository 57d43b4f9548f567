extension RowOrder: Codable {
    /// Decodes a plain array of row indices and checks that it is a permutation.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let rows = try container.decode([Int32].self)
        do {
            try self.init(rows)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    /// Encodes the row indices as a plain array.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rows)
    }
}

extension RowOrder: CustomStringConvertible {
    /// `RowOrder(5: [3, 0, 4, 1, 2])`, elided after 16 rows.
    public var description: String {
        let shown = rows.prefix(16).map(String.init).joined(separator: ", ")
        return "RowOrder(\(count): [\(shown)\(count > 16 ? ", ..." : "")])"
    }
}
