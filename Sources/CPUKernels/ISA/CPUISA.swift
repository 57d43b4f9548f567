import CPUKernelsC
import Foundation

/// The instruction-set path the CPU SpMM kernels run on.
///
/// One portable binary carries every path (CPUKernelsC compiles one C template per instruction
/// set with function target attributes) and picks the best one this CPU and its operating system
/// support at run time, as numpy, OpenBLAS and simdjson do. `SPARROW_CPU_ISA=avx512|avx2|portable`
/// forces one (tests and comparisons).
package enum CPUISA: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// AVX-512F: 16-float vectors, 32 registers, masked tails, gathers for SpMV.
    case avx512
    /// AVX2 with FMA: 8-float vectors, 16 registers, masked loads, gathers for SpMV.
    case avx2
    /// Baseline (SSE2 on x86-64): 4-float vectors, no FMA.
    case portable

    /// The environment variable that forces a path.
    package static let environmentVariable = "SPARROW_CPU_ISA"

    /// Whether this CPU and OS can run the path (CPUID and the OS-saved register state).
    package var isSupported: Bool { sparrow_cpu_isa_supported(cValue) != 0 }

    /// Floats per vector.
    package var lanes: Int { Int(sparrow_cpu_isa_lanes(cValue)) }

    /// Every path this machine can run, best first.
    package static var supported: [CPUISA] { allCases.filter(\.isSupported) }

    /// The best path this machine can run.
    package static var best: CPUISA { supported.first ?? .portable }

    /// The path the kernels use by default: the one `SPARROW_CPU_ISA` names when it is valid and
    /// supported, else ``best`` (``environmentProblem`` then says why the variable was not used).
    package static var automatic: CPUISA { (try? forced()).flatMap { $0 } ?? best }

    /// Why `SPARROW_CPU_ISA` cannot be used (unknown name, or a path this CPU cannot run), or nil.
    package static var environmentProblem: CPUISAError? {
        do {
            _ = try forced()
            return nil
        } catch { return error }
    }

    /// The path `SPARROW_CPU_ISA` forces, nil when it is unset or empty.
    package static func forced(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(CPUISAError) -> CPUISA? {
        guard let name = environment[environmentVariable], !name.isEmpty else { return nil }
        guard let isa = CPUISA(rawValue: name.lowercased()) else { throw .unknown(name) }
        guard isa.isSupported else { throw .unsupported(isa, best: best) }
        return isa
    }

    package var description: String {
        switch self {
        case .avx512: "AVX-512"
        case .avx2: "AVX2+FMA"
        case .portable: "portable (SSE2)"
        }
    }

    var cValue: sparrow_cpu_isa {
        switch self {
        case .avx512: SPARROW_ISA_AVX512
        case .avx2: SPARROW_ISA_AVX2
        case .portable: SPARROW_ISA_PORTABLE
        }
    }
}

/// A `SPARROW_CPU_ISA` value that cannot be used.
package enum CPUISAError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknown(String)
    case unsupported(CPUISA, best: CPUISA)

    package var description: String {
        switch self {
        case let .unknown(name):
            "\(CPUISA.environmentVariable)=\(name) names no kernel path (use avx512, avx2 or portable)"
        case let .unsupported(isa, best):
            "\(CPUISA.environmentVariable)=\(isa.rawValue): this CPU cannot run the \(isa) kernels (the best it runs is \(best.rawValue))"
        }
    }
}
