extension CSRMatrix {
    /// Whether every run of `m` consecutive columns of each row, starting at column 0 (the last
    /// run may be shorter), stores at most `n` entries: the N:M structure that `sparrow prune
    /// --pattern N:M` leaves and 2:4 sparse tensor cores (cuSPARSELt) need along K.
    /// Stored zeros count as entries.
    public func keepsAtMost(_ n: Int, of m: Int) -> Bool {
        precondition(n >= 0 && m > 0, "N:M needs 0 <= N and M > 0")
        for row in 0..<rows {
            var group = -1, count = 0
            for index in Int(rowOffsets[row])..<Int(rowOffsets[row + 1]) {
                let g = Int(columnIndices[index]) / m
                if g != group {
                    group = g
                    count = 0
                }
                count += 1
                if count > n { return false }
            }
        }
        return true
    }
}
