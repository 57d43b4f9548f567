import Foundation

/// Hugging Face's `BertNormalizer`: clean text, space out CJK ideographs, strip accents, lowercase,
/// in that order, one Unicode scalar at a time as `tokenizers` does.
struct BertNormalizer: Sendable, Equatable {
    /// Drop control characters, NUL and U+FFFD; whitespace becomes a space.
    var cleanText = true
    /// Surround each CJK ideograph with spaces, so each becomes its own word.
    var handleChineseCharacters = true
    /// Canonical decomposition, then drop non-spacing marks. `nil` in the file follows `lowercase`.
    var stripAccents = true
    /// Each scalar's full lowercase mapping (no context: a final capital sigma becomes σ, not ς).
    var lowercase = true

    func normalize(_ scalars: some Sequence<Unicode.Scalar>) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(scalars.underestimatedCount)
        for scalar in scalars {
            if cleanText {
                if scalar.value == 0 || scalar.value == 0xFFFD || BertCharacterClass.isControl(scalar) { continue }
                if BertCharacterClass.isWhitespace(scalar) {
                    out.append(" ")
                    continue
                }
            }
            if handleChineseCharacters && BertCharacterClass.isChineseIdeograph(scalar) {
                out += [" ", scalar, " "]
            } else {
                out.append(scalar)
            }
        }
        if stripAccents {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: out)
            out = String(view).decomposedStringWithCanonicalMapping.unicodeScalars
                .filter { !BertCharacterClass.isNonspacingMark($0) }
        }
        if lowercase {
            var lowered: [Unicode.Scalar] = []
            lowered.reserveCapacity(out.count)
            for scalar in out {
                // ASCII first: most text, and no String to build.
                if scalar.isASCII {
                    let byte = UInt8(scalar.value)
                    lowered.append(Unicode.Scalar((65...90).contains(byte) ? byte + 32 : byte))
                } else {
                    lowered.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
                }
            }
            out = lowered
        }
        return out
    }
}
