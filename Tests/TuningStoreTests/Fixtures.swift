import Foundation
import KernelGen
import SparseFormats
import Testing
import Tuner
import TuningStore

/// A fresh folder under the system's temporary folder, removed by the caller's `defer`.
struct TemporaryFolder {
    let path: String

    init() throws {
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("sparrow-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// `name` inside the folder.
    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// A valid SpMM problem; tests vary one field at a time.
func makeProblem(m: Int = 256, type: ElementType = .f32, digest: UInt64 = 0x9f2c_41e0_0bad_cafe) throws -> SpMMProblem {
    try SpMMProblem(
        n: 2048, k: 512, m: m, nnz: 104_858, patternDigest: digest, maxRowLength: 80, elementType: type,
        device: .sm90)
}

let h200 = TuningContext(
    deviceName: "NVIDIA H200", computeCapability: ComputeCapability(major: 9, minor: 0), driverVersion: "12.8",
    nvrtcVersion: "12.8")

let a100 = TuningContext(
    deviceName: "NVIDIA A100-SXM4-80GB", computeCapability: ComputeCapability(major: 8, minor: 0),
    driverVersion: "12.8", nvrtcVersion: "12.8")

/// Tiled configs with distinct ids.
func tiled(_ tileWidth: Int, chunk: Int = 32, doubleBuffered: Bool = false) -> SpMMConfig {
    .tiled(subwarpSize: 8, rowsPerBlock: 4, tileWidth: tileWidth, vectorWidth: 4, chunkSize: chunk, doubleBuffered: doubleBuffered)
}

/// An ok full-phase trial of `config` taking `seconds`.
func okTrial(_ config: SpMMConfig, _ seconds: Double, phase: TrialPhase = .full) -> Trial<SpMMConfig> {
    Trial(config: config, status: .ok(seconds: seconds), sampleSeconds: [seconds, seconds * 1.01], phase: phase)
}
