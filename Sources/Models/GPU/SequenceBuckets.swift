/// The sequence lengths the GPU encoder compiles, captures and allocates for: a batch padded to
/// `length` tokens runs at the smallest bucket that holds it, so a handful of CUDA graphs serve
/// every batch. Buckets are 32, 64, 128, ... (the attention kernel scores 32 keys a lane-step),
/// capped by the longest sequence the model takes.
package struct SequenceBuckets: Sendable, Hashable {
    /// Longest bucket (at least 32, a multiple of 32).
    package let maximum: Int

    /// Buckets up to `maximumLength` (the model's position count or `max_seq_length`) rounded up
    /// to a multiple of 32 and capped at `limit` (what the kernels take).
    package init(maximumLength: Int, limit: Int) {
        let rounded = (max(maximumLength, 1) + 31) / 32 * 32
        maximum = max(32, min(rounded, limit / 32 * 32))
    }

    /// Every bucket, ascending: powers of two from 32, then `maximum`.
    package var all: [Int] {
        var list: [Int] = []
        var b = 32
        while b < maximum {
            list.append(b)
            b *= 2
        }
        return list + [maximum]
    }

    /// The smallest bucket holding `length` tokens, or nil when it exceeds the largest.
    package func bucket(for length: Int) -> Int? {
        all.first { $0 >= length }
    }
}
