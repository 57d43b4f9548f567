/// What the post-processor wraps around one sequence: `[CLS] A [SEP]` for BERT, with the token
/// type ids the template gives each part.
struct SpecialTokenTemplate: Sendable, Equatable {
    var prefix: [Int32]
    var suffix: [Int32]
    /// The token type id of the sequence itself (the special tokens take theirs from the template).
    var prefixTypeIDs: [Int32]
    var sequenceTypeID: Int32
    var suffixTypeIDs: [Int32]

    var count: Int { prefix.count + suffix.count }

    static let none = SpecialTokenTemplate(prefix: [], suffix: [], prefixTypeIDs: [], sequenceTypeID: 0, suffixTypeIDs: [])

    /// Reads `TemplateProcessing` (the `single` template) or `BertProcessing`.
    init(_ processor: TokenizerFile.PostProcessor?, path: String?) throws(TokenizerError) {
        func id32(_ value: Int, _ role: String) throws(TokenizerError) -> Int32 {
            guard let id = Int32(exactly: value), id >= 0 else {
                throw TokenizerError(path: path, .invalidJSON(codingPath: "post_processor", reason: "\(role) \(value) is not an id"))
            }
            return id
        }
        guard let processor else {
            self = .none
            return
        }
        switch processor.type {
        case "BertProcessing":
            guard let cls = processor.cls, let sep = processor.sep else {
                throw TokenizerError(path: path, .invalidJSON(codingPath: "post_processor", reason: "BertProcessing needs cls and sep"))
            }
            self.init(prefix: [try id32(cls.id, "cls")], suffix: [try id32(sep.id, "sep")], prefixTypeIDs: [0], sequenceTypeID: 0, suffixTypeIDs: [0])
        case "TemplateProcessing":
            guard let single = processor.single else {
                throw TokenizerError(path: path, .invalidJSON(codingPath: "post_processor.single", reason: "missing"))
            }
            self = .none
            var seenSequence = false
            for piece in single {
                switch piece {
                case let .sequence(typeID):
                    guard !seenSequence else {
                        throw TokenizerError(path: path, .unsupported(component: "post_processor.single", type: "two sequences"))
                    }
                    seenSequence = true
                    sequenceTypeID = try id32(typeID, "type_id")
                case let .special(name, typeID):
                    guard let ids = processor.specialTokens?[name]?.ids, !ids.isEmpty else {
                        throw TokenizerError(path: path, .missingToken(role: "template's special token", token: name))
                    }
                    var converted: [Int32] = []
                    for id in ids { converted.append(try id32(id, name)) }
                    let types = Array(repeating: try id32(typeID, "type_id"), count: ids.count)
                    if seenSequence {
                        suffix += converted
                        suffixTypeIDs += types
                    } else {
                        prefix += converted
                        prefixTypeIDs += types
                    }
                }
            }
        default:
            throw TokenizerError(path: path, .unsupported(component: "post_processor", type: processor.type))
        }
    }

    init(prefix: [Int32], suffix: [Int32], prefixTypeIDs: [Int32], sequenceTypeID: Int32, suffixTypeIDs: [Int32]) {
        self.prefix = prefix
        self.suffix = suffix
        self.prefixTypeIDs = prefixTypeIDs
        self.sequenceTypeID = sequenceTypeID
        self.suffixTypeIDs = suffixTypeIDs
    }
}
