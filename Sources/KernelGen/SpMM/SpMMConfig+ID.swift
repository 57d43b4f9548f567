extension SpMMConfig: CustomStringConvertible, Codable {
    /// The family's id: `r4.t8.c64.v4.k32.db1` (tiled; `.s8` for a row split, `.u8` for an
    /// explicit unroll), `xtile.r32.t8.c128.v4.k64.db1` (X-tiled), `compact.i16.w8.v8.u2.s1.b2.k4096` (compact),
    /// `bitmap.s1.j8.n16.c4.p3` (bitmap tensor-core), `sp24.s2.j8.n16.c2.p3` (2:4 sparse tensor-core), `fcoo.s1.j8.n16.c4.p3` (fragment-COO tensor-core) or
    /// `simple.r8.t32`.
    package var description: String { familyConfig.description }

    /// The description with `_` for `.`, usable in a C identifier.
    package var identifier: String { String(description.map { $0 == "." ? "_" : $0 }) }

    /// Reads a ``description`` back; its first part names the family (none: tiled).
    package init(parsing text: String) throws(ConfigError) {
        switch text.prefix(while: { $0 != "." }) {
        case "simple": self = .simple(try SimpleConfig(parsing: text))
        case "xtile": self = .xTile(try XTileConfig(parsing: text))
        case "compact": self = .compact(try CompactConfig(parsing: text))
        case SpecialisedConfig.prefix: self = .specialised(try SpecialisedConfig(parsing: text))
        case "bitmap": self = .bitmap(try BitmapConfig(parsing: text))
        case "sp24": self = .twoFour(try TwoFourConfig(parsing: text))
        case "fcoo": self = .fragmentCOO(try FragmentCOOConfig(parsing: text))
        default: self = .tiled(try TiledConfig(parsing: text))
        }
    }

    /// Decodes the id string that ``encode(to:)`` writes.
    package init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            self = try SpMMConfig(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.description))
        }
    }

    /// Encodes the config as its id: one string names the family and every knob.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// Parsing of the `key<int>` parts of a config id, shared by the families.
enum ConfigID {
    /// The integer of every part after `prefix` (which must come first), keyed by its letters; throws
    /// ``ConfigError/unparsable(_:)`` for a part without letters or digits, or a repeated key.
    static func fields(of text: String, droppingPrefix prefix: String?) throws(ConfigError) -> [String: Int] {
        var parts = text.split(separator: ".").map(String.init)
        if let prefix {
            guard parts.first == prefix else { throw .unparsable(text) }
            parts.removeFirst()
        }
        var fields: [String: Int] = [:]
        for part in parts {
            let key = String(part.prefix(while: { $0.isLetter }))
            guard !key.isEmpty, let value = Int(part.dropFirst(key.count)), fields[key] == nil else {
                throw .unparsable(text)
            }
            fields[key] = value
        }
        return fields
    }

    /// `db` as a Bool: only 0 and 1 are ids.
    static func flag(_ value: Int?) -> Bool? {
        switch value {
        case 0: false
        case 1: true
        default: nil
        }
    }
}
