import Foundation

/// Resource use of one kernel as ptxas reports it (`--ptxas-options=-v`).
package struct KernelResourceUsage: Codable, Hashable, Sendable {
    /// The entry function's (mangled or `extern "C"`) name.
    package var function: String
    /// Target named by ptxas, e.g. `sm_90`.
    package var architecture: String?
    package var registers: Int
    package var spillStoreBytes: Int
    package var spillLoadBytes: Int
    package var stackFrameBytes: Int
    /// Static shared memory per block.
    package var sharedMemoryBytes: Int
    package var barriers: Int
    /// Bytes of the kernel-parameter constant bank (`cmem[0]`), when reported.
    package var constantBank0Bytes: Int?

    package init(function: String, architecture: String? = nil, registers: Int = 0, spillStoreBytes: Int = 0,
                spillLoadBytes: Int = 0, stackFrameBytes: Int = 0, sharedMemoryBytes: Int = 0,
                barriers: Int = 0, constantBank0Bytes: Int? = nil) {
        self.function = function
        self.architecture = architecture
        self.registers = registers
        self.spillStoreBytes = spillStoreBytes
        self.spillLoadBytes = spillLoadBytes
        self.stackFrameBytes = stackFrameBytes
        self.sharedMemoryBytes = sharedMemoryBytes
        self.barriers = barriers
        self.constantBank0Bytes = constantBank0Bytes
    }

    /// Whether ptxas spilled registers to local memory.
    package var spills: Bool { spillStoreBytes > 0 || spillLoadBytes > 0 }
}

/// Parses ptxas's verbose log, as NVRTC returns it in the program log:
///
///     ptxas info    : Compiling entry function 'spmm' for 'sm_90'
///     ptxas info    : Function properties for spmm
///     ptxas         .     0 bytes stack frame, 16 bytes spill stores, 16 bytes spill loads
///     ptxas info    : Used 40 registers, used 1 barriers, 256 bytes smem, 372 bytes cmem[0]
///
/// Older ptxas put smem and cmem on the `Used` line without barriers; both forms parse.
package enum PtxasLog {
    package static func parse(_ log: String) -> [KernelResourceUsage] {
        var kernels: [KernelResourceUsage] = []
        var currentIndex: Int? = nil
        func current(named name: String?) -> Int {
            if let name, let index = kernels.lastIndex(where: { $0.function == name }) { return index }
            if let name {
                kernels.append(KernelResourceUsage(function: name))
                return kernels.count - 1
            }
            if let currentIndex { return currentIndex }
            kernels.append(KernelResourceUsage(function: "<unnamed>"))
            return kernels.count - 1
        }
        for rawLine in log.split(whereSeparator: \.isNewline) {
            let line = String(rawLine)
            guard line.hasPrefix("ptxas") else { continue }
            let quoted = quotedStrings(line)
            if line.contains("Compiling entry function"), let name = quoted.first {
                let index = current(named: name)
                if quoted.count > 1 { kernels[index].architecture = quoted[1] }
                currentIndex = index
                continue
            }
            if let range = line.range(of: "Function properties for ") {
                let name = line[range.upperBound...].trimmingQuotesAndSpaces()
                currentIndex = current(named: name)
                continue
            }
            let pairs = numberedPhrases(line)
            guard !pairs.isEmpty else { continue }
            let isResourceLine = pairs.contains { ["registers", "bytes stack frame", "bytes spill stores",
                                                   "bytes spill loads", "bytes smem"].contains($0.phrase) }
            guard isResourceLine else { continue }
            let index = current(named: nil)
            currentIndex = index
            for (value, phrase) in pairs {
                switch phrase {
                case "registers": kernels[index].registers = value
                case "bytes stack frame": kernels[index].stackFrameBytes = value
                case "bytes spill stores": kernels[index].spillStoreBytes = value
                case "bytes spill loads": kernels[index].spillLoadBytes = value
                case "bytes smem": kernels[index].sharedMemoryBytes = value
                case "barriers": kernels[index].barriers = value
                case "bytes cmem[0]": kernels[index].constantBank0Bytes = value
                default: break
                }
            }
        }
        return kernels
    }

    /// Strings between single quotes, in order.
    static func quotedStrings(_ line: String) -> [String] {
        let parts = line.split(separator: "'", omittingEmptySubsequences: false)
        return stride(from: 1, to: parts.count - 1, by: 2).map { String(parts[$0]) }
    }

    /// `(number, phrase)` for each comma-separated clause that starts with (or, after
    /// `Used`/`used`, continues with) a number: "Used 40 registers" -> (40, "registers").
    static func numberedPhrases(_ line: String) -> [(value: Int, phrase: String)] {
        let body = line.split(separator: ":", maxSplits: 1).last.map(String.init) ?? line
        let text = body.hasPrefix("ptxas") ? String(body.drop { $0 != "." }.dropFirst()) : body
        var result: [(Int, String)] = []
        for clause in text.split(separator: ",") {
            var words = clause.split(separator: " ").map(String.init)
            if let first = words.first, first.lowercased() == "used" { words.removeFirst() }
            guard let first = words.first, let value = Int(first) else { continue }
            result.append((value, words.dropFirst().joined(separator: " ")))
        }
        return result
    }
}

extension StringProtocol {
    fileprivate func trimmingQuotesAndSpaces() -> String {
        let set: Set<Character> = [" ", "'"]
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
