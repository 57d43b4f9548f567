import CPUKernels
import KernelGen
import SparseFormats

/// An id that does not name a CPU plan config.
package struct CPUPlanConfigParseError: Error, CustomStringConvertible {
    /// The text read.
    package var id: String
    /// What is wrong with it.
    package var reason: String
    package var description: String {
        "'\(id)' is not a CPU plan config (cpu.t<threads>.c<chunks>.p<reuse or ->.<isa>.v<vectors>.d<distance>.nt<0|1>.g<0|1>[.k<panel columns>][.o<1|2>]): \(reason)"
    }
}

extension CPUPlanConfig {
    /// Reads back ``description``: `cpu.t2.c8.p32.avx512.v8.d4.nt0.g0.k64` (`p-` for never
    /// repacking X), with `.o1` / `.o2` last for a row order. The ids each branch wrote before both
    /// knobs existed read as what their trials ran: nine parts (before column panels) as `k0` in
    /// row order, `...g0.o1` (row order, no panels yet) as `k0` with that order, `...g0.k64` (panels,
    /// no row order yet) in row order.
    package init(parsing id: String) throws(CPUPlanConfigParseError) {
        let parts = id.split(separator: ".", omittingEmptySubsequences: false)
        guard (9...11).contains(parts.count), parts[0] == "cpu" else {
            throw CPUPlanConfigParseError(id: id, reason: "expected nine to eleven dot-separated parts starting with cpu")
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
        guard vectors <= 8, streaming <= 1, gather <= 1 else {
            throw CPUPlanConfigParseError(id: id, reason: "tiles hold 1 to 8 vectors; nt and g are 0 or 1")
        }
        // The optional tail: `.k<columns>`, then `.o<code>`, each at most once and in that order.
        var tail = parts.dropFirst(9)
        var panels = 0
        if let part = tail.first, part.hasPrefix("k") {
            panels = try number(part, "k", "the panel columns", minimum: 0)
            tail = tail.dropFirst()
        }
        var ordering = RowOrdering.identity
        if let part = tail.first {
            let code = try number(part, "o", "the row order")
            guard let knob = RowOrdering(idCode: code) else {
                throw CPUPlanConfigParseError(id: id, reason: "the row order is o1 (locality) or o2 (longest rows first), not '\(part)'")
            }
            ordering = knob
            tail = tail.dropFirst()
        }
        guard tail.isEmpty else {
            throw CPUPlanConfigParseError(id: id, reason: "after g<0|1> come .k<panel columns> then .o<1|2>, not '\(tail.joined(separator: "."))'")
        }
        self.init(
            threads: threads, chunksPerThread: chunks, packMinimumReuse: reuse, isa: isa, tileVectors: vectors,
            prefetchDistance: distance, streamingStores: streaming == 1, gatherSpMV: gather == 1, panelColumns: panels,
            rowOrdering: ordering)
    }
}
