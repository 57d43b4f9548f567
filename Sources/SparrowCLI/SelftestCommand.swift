import ArgumentParser
import Foundation
import Bench
import CPUKernels
import CUDA
import KernelGen
import Runtime
import SparseFormats
import SparseIO

/// `sparrow selftest`: every kernel and baseline against the Float64 reference.
struct SelftestCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "selftest",
        abstract: "Check every kernel and baseline against a Float64 reference over awkward shapes (outputs poisoned with NaN first).")

    @Option(name: .long, help: "auto, gpu or cpu.")
    var device: DeviceRequest = .auto

    @Flag(name: .long, help: "Check a sample of each config space instead of every config (faster).")
    var quick = false

    @Flag(name: .long, help: "Run only the CUDA checks and the compact kernel family's GPU cases.")
    var compactOnly = false

    @Flag(name: .long, help: "Run only the CUDA checks and the tensor-core SpMM families' GPU cases (bitmap, 2:4 and fragment-COO).")
    var bitmapOnly = false

    @Flag(name: .long, help: "Run only the CUDA checks and the sparse attention kernels' GPU cases.")
    var attentionOnly = false

    @Flag(name: .long, help: "Run only the CUDA checks, the specialised kernel family's GPU cases and the locality row order's.")
    var specialisedOnly = false

    @Flag(name: .long, help: "Run only the CUDA checks and the GPU baselines (cuSPARSE, cuSPARSELt on 2:4 shapes, cuBLAS).")
    var baselinesOnly = false

    @Flag(name: .long, help: "On a GPU, only check the GPU encoder against the CPU encoder (seeded small BERT).")
    var encoderOnly = false

    @Option(name: .long, help: "Also write the results as JSON to this file.")
    var json: String?

    func execute() throws {
        let started = Date()
        let results = try SelfTest.run(
            device: device, everyConfig: !quick, compactOnly: compactOnly, bitmapOnly: bitmapOnly, attentionOnly: attentionOnly,
            encoderOnly: encoderOnly, specialisedOnly: specialisedOnly, baselinesOnly: baselinesOnly, note: { Console.note($0) })
        var rows = TextTable(headers: ["group", "check", "result", "detail"])
        for r in results { rows.append([r.group, r.name, r.status.rawValue, String(r.detail.prefix(160))]) }
        print(rows.render(), terminator: "")
        let failed = results.filter { $0.status == .failed }.count
        let passed = results.filter { $0.status == .passed }.count
        let skipped = results.filter { $0.status == .skipped }.count
        print("\n\(passed) passed, \(failed) failed, \(skipped) skipped in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        if let json { try JSONText.write(results, to: json) }
        if failed > 0 { throw ExitCode(1) }
    }
}
