/// What NVRTC produces for one architecture.
package enum BinaryFormat: String, Codable, Sendable {
    /// SASS for one real architecture (`sm_XY`), loaded without JIT.
    case cubin
    /// PTX for a virtual architecture (`compute_XY`), JIT-compiled by the driver at load.
    case ptx
}

/// Where to compile for: CUBIN for the exact GPU, or PTX when this NVRTC cannot target it.
package struct CompileTarget: Hashable, Codable, Sendable, CustomStringConvertible {
    package var format: BinaryFormat
    /// Compute capability as one number (90 for 9.0).
    package var computeCapability: Int

    package init(format: BinaryFormat, computeCapability: Int) {
        self.format = format
        self.computeCapability = computeCapability
    }

    /// The value of `--gpu-architecture`: `sm_80` for CUBIN, `compute_90` for PTX. CUBIN for 9.0
    /// is `sm_90a`, the architecture-specific target: `wgmma` and `setmaxnreg` exist only there,
    /// and a CUBIN runs only on its own architecture anyway (sm_90a code runs on every 9.0 device;
    /// code without those instructions compiles to the same SASS: the `.text` sections of four
    /// attention kernels, tc, split tc, row warp and SDDMM, were byte-identical for sm_90 and sm_90a
    /// with NVRTC 13.5, session 14).
    package var architectureName: String {
        switch format {
        case .cubin: "sm_\(computeCapability)" + (computeCapability == 90 ? "a" : "")
        case .ptx: "compute_\(computeCapability)"
        }
    }

    package var description: String { architectureName }

    /// CUBIN for `computeCapability` when NVRTC supports it; otherwise PTX for the newest
    /// supported architecture not above it (the driver JIT-compiles PTX forward, never back).
    /// - Throws: ``CUDAError/unsupported(_:)`` when every supported architecture is newer.
    /// An empty `supported` list (an NVRTC too old to report it) means: try CUBIN.
    package static func best(for computeCapability: Int, supported: [Int]) throws -> CompileTarget {
        if supported.isEmpty || supported.contains(computeCapability) {
            return CompileTarget(format: .cubin, computeCapability: computeCapability)
        }
        guard let older = supported.filter({ $0 < computeCapability }).max() else {
            throw CUDAError.unsupported(
                "NVRTC supports \(supported.map(String.init).joined(separator: ",")), none at or below \(computeCapability)")
        }
        return CompileTarget(format: .ptx, computeCapability: older)
    }
}

/// A compiled kernel image with its compiler report.
package struct CompiledKernel: Codable, Hashable, Sendable {
    /// CUBIN (ELF) bytes or PTX text.
    package var image: [UInt8]
    package var target: CompileTarget
    /// NVRTC's program log (ptxas's verbose report, warnings).
    package var log: String
    /// NVRTC version that built it, e.g. "13.0".
    package var compilerVersion: String

    package init(image: [UInt8], target: CompileTarget, log: String, compilerVersion: String) {
        self.image = image
        self.target = target
        self.log = log
        self.compilerVersion = compilerVersion
    }

    /// Registers, spills and shared memory of each kernel, parsed from the log. Empty for PTX
    /// (ptxas does not run) or when the log has no verbose report.
    package var resources: [KernelResourceUsage] { PtxasLog.parse(log) }

    /// The report for kernel `name`, when present.
    package func resources(of name: String) -> KernelResourceUsage? {
        resources.first { $0.function == name }
    }
}
