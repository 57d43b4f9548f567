import ArgumentParser
import Foundation
import Bench
import CPUKernels
import CUDA
import KernelGen
import Runtime
import SparseFormats
import SparseIO

/// `sparrow doctor`: what Sparrow found on this machine, and why a device is or is not used.
struct DoctorCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Report the CUDA libraries, GPUs and CPU backend Sparrow found, and why a device is not used.")

    @Flag(name: .long, help: "Print the report as JSON.")
    var json = false

    @Flag(name: .long, help: "Also measure the CPU's copy bandwidth and sgemm rate (a few seconds).")
    var measure = false

    struct Report: Encodable {
        var cuda: CUDAEnvironmentReport
        var cpu: CPUReport
    }

    func execute() throws {
        let report = Report(cuda: CUDAEnvironment.probe(), cpu: CPUReport.probe(measure: measure))
        if json {
            print(try JSONText.encode(report), terminator: "")
            return
        }
        let c = report.cuda
        print("CUDA libraries")
        var rows = TextTable(headers: ["library", "found", "version", "path or reason"])
        for lib in [c.driver, c.nvrtc, c.cublas, c.cusparse] + (c.cusparseLt.map { [$0] } ?? []) {
            rows.append([lib.name, lib.found ? "yes" : "no", lib.version ?? "-", lib.found ? (lib.path ?? "-") : (lib.reason ?? "-")])
        }
        print(rows.render(), terminator: "")
        print("NVRTC headers: \(c.nvrtcHeaderFolder ?? "not found")")
        if !c.nvrtcSupportedArchitectures.isEmpty {
            print("NVRTC architectures: " + c.nvrtcSupportedArchitectures.map { "sm_\($0)" }.joined(separator: " "))
        }
        print("kernel cache: \(c.kernelCacheDirectory)")
        print("")
        if c.devices.isEmpty {
            print("GPUs: none (\(c.deviceError ?? "no device"))")
        } else {
            print("GPUs")
            var g = TextTable(headers: ["#", "name", "cc", "SMs", "memory", "L2", "smem/block (opt-in)", "smem/SM", "regs/SM", "SM clock", "mem clock", "bus"])
            for d in c.devices {
                g.append([
                    "\(d.ordinal)", d.name, "\(d.computeCapabilityMajor).\(d.computeCapabilityMinor)", "\(d.multiprocessorCount)",
                    "\(d.totalMemoryBytes >> 20) MiB", "\(d.l2CacheBytes >> 10) KiB",
                    "\(d.sharedMemoryPerBlock >> 10) KiB (\(d.sharedMemoryPerBlockOptIn >> 10) KiB)", "\(d.sharedMemoryPerMultiprocessor >> 10) KiB",
                    "\(d.registersPerMultiprocessor)", d.clockRateKHz.map { "\($0 / 1000) MHz" } ?? "n/a",
                    d.memoryClockRateKHz.map { "\($0 / 1000) MHz" } ?? "n/a", d.memoryBusWidthBits.map { "\($0)-bit" } ?? "n/a",
                ])
            }
            print(g.render(), terminator: "")
        }
        print("")
        print("CPU: \(report.cpu.summary)")
        if let problem = CPUISA.environmentProblem { print("  warning: \(problem); using the \(CPUISA.best.rawValue) path") }
        for failure in report.cpu.gemmLoadFailures { print("  OpenBLAS not used: \(failure)") }
        if let hint = DenseGEMM.shared.installHint { print("  \(hint)") }
        print("")
        if let reason = c.gpuUnavailableReason {
            print("device: cpu (\(reason))")
        } else {
            print("device: gpu \(c.devices.first?.name ?? "")")
        }
    }
}
