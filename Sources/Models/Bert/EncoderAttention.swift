import Runtime
import SparseFormats

/// Which keys the CPU encoder's attention uses, and how: an option of ``BertEncoder`` (per
/// encoder, not global).
package enum EncoderAttention: Sendable, Hashable {
    /// Every token of the text (the padding mask only), on the dense kernel: BERT's attention.
    case dense
    /// The pattern's keys only, on the fused sparse kernel over each text's ACSR layout.
    case sparse(SparseAttention)
    /// The pattern applied as an explicit dense boolean mask over every score of the text, as
    /// SDPA with a mask computes it: the baseline the sparse path saves work against, and its check.
    case denseMask(SparseAttention)

    /// `.sparse` of `pattern`, its parameters checked.
    package static func sparse(_ pattern: AttentionPattern) throws(AttentionPatternError) -> EncoderAttention {
        .sparse(try SparseAttention(pattern))
    }

    /// `.denseMask` of `pattern`, its parameters checked.
    package static func denseMask(_ pattern: AttentionPattern) throws(AttentionPatternError) -> EncoderAttention {
        .denseMask(try SparseAttention(pattern))
    }
}
