/// The character classes of Hugging Face `tokenizers`' BERT normalizer and pre-tokenizer, with its
/// exact semantics.
///
/// `tokenizers` takes general categories (control, punctuation, non-spacing mark) from the
/// `unicode_categories` crate, whose tables are Unicode 8.0: a character assigned later has no
/// category there (U+2E43, a Unicode 9.0 punctuation mark, does not split a word; U+08D4, a
/// Unicode 9.0 non-spacing mark, is not stripped), and unassigned code points are never dropped.
/// Whitespace and lowercasing come from Rust's standard library (current Unicode), as here.
enum BertCharacterClass {
    /// Whether the character existed in Unicode 8.0, the version of `tokenizers`' category tables.
    static func inCategoryTables(_ scalar: Unicode.Scalar) -> Bool {
        guard let age = scalar.properties.age else { return false }
        return age.major < 8 || (age.major == 8 && age.minor == 0)
    }

    /// Rust's `char::is_whitespace` (the White_Space property); tab, newline and return included.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isWhitespace
    }

    /// Other (Cc, Cf, Co, Cs) but not tab, newline or return, which count as whitespace.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\t", "\n", "\r": return false
        default: break
        }
        guard inCategoryTables(scalar) else { return false }
        switch scalar.properties.generalCategory {
        case .control, .format, .privateUse, .surrogate: return true
        default: return false
        }
    }

    /// ASCII punctuation (33-47, 58-64, 91-96, 123-126: symbols such as `$`, `+`, `^` included)
    /// or a Unicode punctuation category (Pc, Pd, Ps, Pe, Pi, Pf, Po).
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 33...47, 58...64, 91...96, 123...126: return true
        case 0..<128: return false
        default: break
        }
        guard inCategoryTables(scalar) else { return false }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default: return false
        }
    }

    /// Mn, the marks accent stripping removes after canonical decomposition.
    static func isNonspacingMark(_ scalar: Unicode.Scalar) -> Bool {
        inCategoryTables(scalar) && scalar.properties.generalCategory == .nonspacingMark
    }

    /// The CJK ideograph blocks BERT surrounds with spaces (not Hangul, Hiragana or Katakana).
    static func isChineseIdeograph(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
            0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default: return false
        }
    }
}
