import Runtime
import CUDA
import Foundation
import SparrowBuildStamp
import KernelGen
import SparseFormats
import Tuner

/// The candidates and ceilings of one benchmark run on one device.
package struct BenchSetup {
    package var deviceName: String
    package var ceilings: MachineCeilings
    package var candidates: [any SpMMCandidate]
    package var timingMethod: String

    /// On a GPU: Sparrow's kernel (best of a simple sweep, or every config with `sweep`), the
    /// first simple CSR kernel, at fp16 / bf16 the best of the bitmap family's section
    /// (`sparrow-bitmap-f16`) and of the fragment-COO family's (`sparrow-fcoo-f16`), for W pruned
    /// 2:4 of the 2:4 family's (`sparrow-sp24-f16`; skipped for other W), and the ``Baselines`` for
    /// its precision.
    /// `extra` configs are timed in the sweep too, where valid (for study).
    package static func gpu(
        _ device: GPUDevice, dtype: ElementType, sweep: Bool, sweepLimit: Int, extra: [SpMMConfig] = [],
        recall: TunedConfigRecall? = nil, cold: Bool = false, space: SpMMSpace = SpMMSpace()
    ) throws -> BenchSetup {
        let precision = ComputePrecision(storage: dtype)
        var candidates: [any SpMMCandidate] = [
            // A sweep measures the space; otherwise a tuned config, where stored, replaces the search.
            SparrowGPUCandidate(
                device: device, precision: precision, choice: .search(limit: sweep ? Int.max : sweepLimit, extra: extra),
                recall: sweep ? nil : recall, cold: cold, space: space),
            SparrowGPUCandidate(device: device, precision: precision, choice: .fixed(.simpleCSR(threadsPerRow: 32, rowsPerBlock: 4)),
                                name: "sparrow-simple-\(precision.rawValue)", cold: cold),
        ]
        // The bitmap tensor-core family on its own (fp16 / bf16), so its best config is timed cold
        // whatever the whole-space search picks.
        if dtype == .f16 || dtype == .bf16 {
            candidates.append(SparrowGPUCandidate(
                device: device, precision: precision, choice: .family(.bitmap, limit: sweepLimit, extra: extra),
                name: "sparrow-bitmap-\(precision.rawValue)", cold: cold))
            candidates.append(SparrowGPUCandidate(
                device: device, precision: precision, choice: .family(.fragmentCOO, limit: sweepLimit, extra: extra),
                name: "sparrow-fcoo-\(precision.rawValue)", cold: cold))
            candidates.append(SparrowGPUCandidate(
                device: device, precision: precision, choice: .family(.twoFour, limit: sweepLimit, extra: extra),
                name: "sparrow-sp24-\(precision.rawValue)", cold: cold))
        }
        candidates += try Baselines.gpu(device, precisions: [precision], cold: cold)
        return BenchSetup(deviceName: device.summary, ceilings: try device.measureCeilings(), candidates: candidates,
                          timingMethod: "a run is the mean of a batch of back-to-back launches between two CUDA events, the batch sized so a run lasts at least 50 us (same for every candidate); "
                            + ColdRotation.description(cold: cold))
    }
}

/// Where a build came from and where it runs, for reports.
package enum BuildInfo {
    /// `$SPARROW_COMMIT`, else the commit stamped into the build (`scripts/build-static.sh`), else a
    /// `COMMIT` file beside the executable, else `git rev-parse --short HEAD` in the working folder
    /// (which names the checkout the binary runs in, not necessarily the one it was built from).
    package static var commit: String {
        let env = ProcessInfo.processInfo.environment
        if let c = env["SPARROW_COMMIT"], !c.isEmpty { return c }
        if let stampedCommit { return stampedCommit }
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        if let text = try? String(contentsOf: exe.appendingPathComponent("COMMIT"), encoding: .utf8) {
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let git = Process()
        git.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        git.arguments = ["git", "rev-parse", "--short", "HEAD"]
        let pipe = Pipe()
        git.standardOutput = pipe
        git.standardError = FileHandle.nullDevice
        if (try? git.run()) != nil {
            git.waitUntilExit()
            let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            if git.terminationStatus == 0 { return out.trimmingCharacters(in: .whitespacesAndNewlines) }
        }
        return "unknown"
    }

    /// The commit stamped into this build by `scripts/build-static.sh`; nil in other builds.
    package static var stampedCommit: String? {
        let stamped = String(cString: sparrow_build_commit())
        return stamped.isEmpty ? nil : stamped
    }

    /// Host name, CPU model and core count.
    package static var machine: String {
        let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("model name") }
            .map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" } ?? "unknown CPU"
        return "\(ProcessInfo.processInfo.hostName): \(cpu), \(ProcessInfo.processInfo.activeProcessorCount) cores"
    }
}
