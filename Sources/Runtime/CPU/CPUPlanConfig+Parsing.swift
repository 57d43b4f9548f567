import CPUKernels

/// An id that does not name a CPU plan config.
package struct CPUPlanConfigParseError: Error, CustomStringConvertible {
    /// The text read.
    package var id: String
    /// What is wrong with it.
    package var reason: String
    package var description: String {
        "'\(id)' is not a CPU plan config (cpu.t<threads>.c<chunks>.p<reuse or ->.<isa>.v<vectors>.d<distance>.nt<0|1>.g<0|1>.k<panel columns>): \(reason)"
    }
}

extension CPUPlanConfig {
    /// Reads back ``description``: `cpu.t2.c8.p32.avx512.v8.d4.nt0.g0.k64` (`p-` for never
    /// repacking X). Ids of nine parts, written before W had column panels, read as `k0` (what
    /// their trials ran).
    package init(parsing id: String) throws(CPUPlanConfigParseError) {
        let parts = id.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 9 || parts.count == 10, parts[0] == "cpu" else {
            throw CPUPlanConfigParseError(id: id, reason: "expected ten (or nine) dot-separated parts starting with cpu")
        }
        func number(_ part: Substring, _ prefix: String, _ name: String, minimum: Int = 1) throws(CPUPlanConfigParseError) -> Int {
            guard part.hasPrefix(prefix), let value = Int(part.dropFirst(prefix.count)), value >= minimum else {
                throw CPUPlanConfigParseError(
                    id: id, reason: "\(name) must be '\(prefix)' and an integer of at least \(minimum), not '\(part)'")
            }
            return value
        }
        let threads = try number(parts[1], "t", "threads")
        let chunks = try number(parts[2], "c", "chunks per thread")
        let reuse = parts[3] == "p-" ? Int.max : try number(parts[3], "p", "the repacking reuse")
        guard let isa = CPUISA(rawValue: String(parts[4])) else {
            throw CPUPlanConfigParseError(id: id, reason: "'\(parts[4])' is not a kernel path (avx512, avx2, portable)")
        }
        let vectors = try number(parts[5], "v", "vectors per tile")
        let distance = try number(parts[6], "d", "the prefetch distance", minimum: 0)
        let streaming = try number(parts[7], "nt", "streaming stores", minimum: 0)
        let gather = try number(parts[8], "g", "gathering SpMV", minimum: 0)
        let panels = parts.count == 10 ? try number(parts[9], "k", "the panel columns", minimum: 0) : 0
        guard vectors <= 8, streaming <= 1, gather <= 1 else {
            throw CPUPlanConfigParseError(id: id, reason: "tiles hold 1 to 8 vectors; nt and g are 0 or 1")
        }
        self.init(
            threads: threads, chunksPerThread: chunks, packMinimumReuse: reuse, isa: isa, tileVectors: vectors,
            prefetchDistance: distance, streamingStores: streaming == 1, gatherSpMV: gather == 1, panelColumns: panels)
    }
}
