/// Selection helpers for pruning: exact counts in expected O(n), no full sort.
@usableFromInline
enum PruningSelection {
    /// A keep mask over `count` items that drops exactly `prune` of them: those with the
    /// smallest keys; among equal keys the later index is dropped first (so the ranking is
    /// "larger key first, then smaller index first"). `key` must be a pure function.
    @inlinable
    static func keepMask<Key: FixedWidthInteger & UnsignedInteger>(
        count: Int, prune: Int, key: (Int) -> Key
    ) -> [Bool] {
        precondition(prune >= 0 && prune <= count, "prune count \(prune) outside 0...\(count)")
        if prune == 0 { return [Bool](repeating: true, count: count) }
        if prune == count { return [Bool](repeating: false, count: count) }
        var scratch = [Key](unsafeUninitializedCapacity: count) { buffer, initialized in
            for i in 0..<count { buffer.initializeElement(at: i, to: key(i)) }
            initialized = count
        }
        let threshold = kthSmallest(&scratch, prune - 1)
        scratch = []
        var keep = [Bool](repeating: true, count: count)
        var below = 0
        for i in 0..<count where key(i) < threshold {
            keep[i] = false
            below += 1
        }
        // The threshold is the prune-th smallest key, so at least `prune - below` keys equal it.
        var need = prune - below
        var i = count - 1
        while need > 0 {
            precondition(i >= 0, "selection found too few keys equal to the threshold")
            if key(i) == threshold {
                keep[i] = false
                need -= 1
            }
            i -= 1
        }
        return keep
    }

    /// The k-th smallest (0-based) of `values`, reordering them: quickselect with a
    /// median-of-three pivot and a three-way partition (many equal keys, e.g. zeros, are
    /// common in weights), falling back to sorting after too many rounds (no quadratic case).
    @inlinable
    static func kthSmallest<Key: Comparable>(_ values: inout [Key], _ k: Int) -> Key {
        precondition(k >= 0 && k < values.count, "kthSmallest: k \(k) outside 0..<\(values.count)")
        var rounds = 2 * (Int.bitWidth - values.count.leadingZeroBitCount) + 8
        return values.withUnsafeMutableBufferPointer { a in
            // Invariant: the answer lies in a[low...high] (all indices in 0..<a.count).
            var low = 0, high = a.count - 1
            while true {
                if low == high { return a[low] }
                if rounds == 0 {
                    a[low...high].sort()
                    return a[k]
                }
                rounds -= 1
                let x = a[low], y = a[low + (high - low) / 2], z = a[high]
                let pivot = max(min(x, y), min(max(x, y), z))
                var lt = low, i = low, gt = high
                while i <= gt {
                    if a[i] < pivot {
                        a.swapAt(lt, i)
                        lt += 1
                        i += 1
                    } else if a[i] > pivot {
                        a.swapAt(i, gt)
                        gt -= 1
                    } else {
                        i += 1
                    }
                }
                // Now a[low..<lt] < pivot, a[lt...gt] == pivot, a[(gt+1)...high] > pivot.
                if k < lt {
                    high = lt - 1
                } else if k > gt {
                    low = gt + 1
                } else {
                    return pivot
                }
            }
        }
    }
}
