/// An id that does not name a CPU plan config.
package struct CPUPlanConfigParseError: Error, CustomStringConvertible {
    /// The text read.
    package var id: String
    /// What is wrong with it.
    package var reason: String
    package var description: String { "'\(id)' is not a CPU plan config (cpu.t<threads>.c<chunks>.p<reuse or ->): \(reason)" }
}

extension CPUPlanConfig {
    /// Reads back ``description``: `cpu.t2.c8.p8`, or `cpu.t2.c8.p-` for never repacking X.
    package init(parsing id: String) throws(CPUPlanConfigParseError) {
        let parts = id.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "cpu" else {
            throw CPUPlanConfigParseError(id: id, reason: "expected four dot-separated parts starting with cpu")
        }
        func number(_ part: Substring, _ prefix: Character, _ name: String) throws(CPUPlanConfigParseError) -> Int {
            guard part.first == prefix, let value = Int(part.dropFirst()), value >= 1 else {
                throw CPUPlanConfigParseError(id: id, reason: "\(name) must be '\(prefix)' and a positive integer, not '\(part)'")
            }
            return value
        }
        let threads = try number(parts[1], "t", "threads")
        let chunks = try number(parts[2], "c", "chunks per thread")
        let reuse = parts[3] == "p-" ? Int.max : try number(parts[3], "p", "the repacking reuse")
        self.init(threads: threads, chunksPerThread: chunks, packMinimumReuse: reuse)
    }
}
