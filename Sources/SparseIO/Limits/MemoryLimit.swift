import Foundation

/// The most memory one read may allocate for what it builds.
///
/// Every reader adds up what it is about to allocate (row offsets, index and value
/// arrays, inflated archive members, temporaries) in a ``MemoryBudget`` *before*
/// allocating, and refuses with ``SparseIOError/Defect/memoryLimit(needed:limit:what:origin:)``
/// when the total would pass the limit, so a small file that declares a huge matrix
/// fails with one line instead of being killed by the kernel. Memory-mapped file
/// bytes do not count: the file itself justifies them.
///
/// The default is a quarter of the machine's physical memory, leaving room for the
/// copies and statistics that callers build from what was read. The environment
/// variable `SPARROW_MEMORY_LIMIT` overrides it: a byte count, optionally with a
/// binary suffix `K`, `M`, `G` or `T` (`16G`, `512M`), or `none` for no limit.
public struct MemoryLimit: Sendable, Hashable, CustomStringConvertible {
    /// The limit in bytes (`Int.max` for none).
    public var bytes: Int
    /// Where the limit comes from, for messages ("1/4 of physical memory", ...).
    public var origin: String

    /// The environment variable that overrides the default.
    public static let environmentVariable = "SPARROW_MEMORY_LIMIT"

    /// A limit of `bytes`, described as `origin` in messages.
    public init(bytes: Int, origin: String = "set by the caller") {
        self.bytes = max(0, bytes)
        self.origin = origin
    }

    /// No limit.
    public static let unlimited = MemoryLimit(bytes: .max, origin: "no limit")

    /// `SPARROW_MEMORY_LIMIT` when set and valid, else a quarter of physical memory.
    public static var `default`: MemoryLimit {
        resolve(environment: ProcessInfo.processInfo.environment,
                physicalMemory: ProcessInfo.processInfo.physicalMemory)
    }

    /// The default for a given environment and memory size (what ``default`` computes).
    static func resolve(environment: [String: String], physicalMemory: UInt64) -> MemoryLimit {
        let quarter = Int(clamping: physicalMemory / 4)
        guard let text = environment[environmentVariable] else {
            return MemoryLimit(bytes: quarter, origin: "1/4 of physical memory")
        }
        guard let bytes = parse(text) else {
            // A typo must not silently lift the guard: keep the default and say why in messages.
            return MemoryLimit(bytes: quarter, origin: "1/4 of physical memory; \(environmentVariable)='\(text)' is not a size")
        }
        return MemoryLimit(bytes: bytes, origin: "\(environmentVariable)=\(text)")
    }

    /// Parses `12345`, `512M`, `16G`, `1T` (binary multiples, case-insensitive) or `none`; nil if malformed.
    public static func parse(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
        if trimmed == "NONE" { return .max }
        let shifts: [Character: Int] = ["K": 10, "M": 20, "G": 30, "T": 40]
        var digits = Substring(trimmed), shift = 0
        if let last = digits.last, let s = shifts[last] {
            shift = s
            digits = digits.dropLast()
            if digits.last == "I" || digits.last == "B" { return nil }
        } else if digits.hasSuffix("B") {
            return nil
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let value = Int(digits), value >= 0 else { return nil }
        guard value <= Int.max >> shift else { return .max }
        return value << shift
    }

    /// `6.0 GiB`, `400.0 MiB`, `3 bytes`.
    public static func format(_ bytes: Int) -> String {
        if bytes == .max { return "\(Int.max) bytes" }
        let units = [(40, "TiB"), (30, "GiB"), (20, "MiB"), (10, "KiB")]
        for (shift, unit) in units where bytes >= 1 << shift {
            return String(format: "%.1f %@", Double(bytes) / Double(1 << shift), unit)
        }
        return "\(bytes) bytes"
    }

    public var description: String { "\(MemoryLimit.format(bytes)) (\(origin))" }
}

/// A running total of what one read has allocated, checked against a ``MemoryLimit``
/// before each allocation.
struct MemoryBudget {
    let limit: MemoryLimit
    let path: String
    private(set) var used = 0

    init(_ limit: MemoryLimit, path: String) {
        self.limit = limit
        self.path = path
    }

    /// Counts `bytes` (given as count x width, overflow-checked) for `what`, or throws
    /// when the total would pass the limit; nothing is allocated by this call.
    mutating func reserve(_ count: Int, times width: Int = 1, for what: String, member: String? = nil,
                          line: Int? = nil) throws(SparseIOError) {
        let (bytes, overflow) = max(0, count).multipliedReportingOverflow(by: width)
        let (total, overflow2) = used.addingReportingOverflow(bytes)
        guard !overflow, !overflow2, total <= limit.bytes else {
            throw SparseIOError(path: path, member: member, line: line, .memoryLimit(
                needed: overflow || overflow2 ? .max : total, limit: limit.bytes, what: what, origin: limit.origin))
        }
        used = total
    }

    /// Gives back `bytes` reserved earlier (a temporary that was freed).
    mutating func release(_ bytes: Int) { used = max(0, used - bytes) }
}
