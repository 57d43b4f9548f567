/// The parts of a Hugging Face `tokenizer.json` that a BERT WordPiece tokenizer uses, decoded as
/// they are written; ``BertTokenizer`` checks and compiles them.
struct TokenizerFile: Decodable, Sendable {
    var normalizer: Normalizer?
    var preTokenizer: TypeOnly?
    var model: Model
    var postProcessor: PostProcessor?
    var addedTokens: [AddedToken]
    var padding: Padding?

    enum CodingKeys: String, CodingKey {
        case normalizer, model, padding
        case preTokenizer = "pre_tokenizer"
        case postProcessor = "post_processor"
        case addedTokens = "added_tokens"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        normalizer = try container.decodeIfPresent(Normalizer.self, forKey: .normalizer)
        preTokenizer = try container.decodeIfPresent(TypeOnly.self, forKey: .preTokenizer)
        model = try container.decode(Model.self, forKey: .model)
        postProcessor = try container.decodeIfPresent(PostProcessor.self, forKey: .postProcessor)
        addedTokens = try container.decodeIfPresent([AddedToken].self, forKey: .addedTokens) ?? []
        padding = try container.decodeIfPresent(Padding.self, forKey: .padding)
    }

    /// A component of which only the type is read.
    struct TypeOnly: Decodable, Sendable {
        var type: String
    }

    struct Normalizer: Decodable, Sendable {
        var type: String
        var cleanText: Bool?
        var handleChineseChars: Bool?
        var stripAccents: Bool?
        var lowercase: Bool?

        enum CodingKeys: String, CodingKey {
            case type, lowercase
            case cleanText = "clean_text"
            case handleChineseChars = "handle_chinese_chars"
            case stripAccents = "strip_accents"
        }
    }

    struct Model: Decodable, Sendable {
        var type: String?
        var unkToken: String
        var continuingSubwordPrefix: String?
        var maxInputCharsPerWord: Int?
        var vocab: [String: Int]

        enum CodingKeys: String, CodingKey {
            case type, vocab
            case unkToken = "unk_token"
            case continuingSubwordPrefix = "continuing_subword_prefix"
            case maxInputCharsPerWord = "max_input_chars_per_word"
        }
    }

    /// `TemplateProcessing` (its `single` template) or `BertProcessing` (`cls`, `sep`).
    struct PostProcessor: Decodable, Sendable {
        var type: String
        var single: [TemplatePiece]?
        var specialTokens: [String: SpecialToken]?
        var cls: TokenAndID?
        var sep: TokenAndID?

        enum CodingKeys: String, CodingKey {
            case type, single, cls, sep
            case specialTokens = "special_tokens"
        }
    }

    /// One piece of a template: `{"SpecialToken": {"id": "[CLS]", "type_id": 0}}` or
    /// `{"Sequence": {"id": "A", "type_id": 0}}`.
    enum TemplatePiece: Decodable, Sendable {
        case special(id: String, typeID: Int)
        case sequence(typeID: Int)

        enum CodingKeys: String, CodingKey {
            case specialToken = "SpecialToken"
            case sequence = "Sequence"
        }

        struct Body: Decodable, Sendable {
            var id: String
            var typeID: Int
            enum CodingKeys: String, CodingKey {
                case id
                case typeID = "type_id"
            }
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            if let body = try container.decodeIfPresent(Body.self, forKey: .specialToken) {
                self = .special(id: body.id, typeID: body.typeID)
            } else if let body = try container.decodeIfPresent(Body.self, forKey: .sequence) {
                self = .sequence(typeID: body.typeID)
            } else {
                throw DecodingError.dataCorruptedError(
                    forKey: .sequence, in: container, debugDescription: "a template piece is neither SpecialToken nor Sequence")
            }
        }
    }

    struct SpecialToken: Decodable, Sendable {
        var ids: [Int]
    }

    /// `["[CLS]", 101]`, as BertProcessing writes it.
    struct TokenAndID: Decodable, Sendable {
        var token: String
        var id: Int

        init(from decoder: any Decoder) throws {
            var container = try decoder.unkeyedContainer()
            token = try container.decode(String.self)
            id = try container.decode(Int.self)
        }
    }

    struct AddedToken: Decodable, Sendable {
        var id: Int
        var content: String
        var singleWord: Bool?
        var lstrip: Bool?
        var rstrip: Bool?
        var normalized: Bool?
        var special: Bool?

        enum CodingKeys: String, CodingKey {
            case id, content, lstrip, rstrip, normalized, special
            case singleWord = "single_word"
        }
    }

    struct Padding: Decodable, Sendable {
        var padID: Int?
        enum CodingKeys: String, CodingKey {
            case padID = "pad_id"
        }
    }
}
