import Foundation
import KernelGen
import Runtime
import SparseFormats
import Tuner

extension GPUSelfTest {
    /// The specialised family on the awkward shapes it can hold (up to its size limit), at f32,
    /// f16 and bf16 with the epilogues, every knob value cycled through (``specialisedSample(_:)``);
    /// and the measured NVRTC cost on this machine: one line with the compile seconds and cubin
    /// bytes per written multiply-add over every specialised kernel compiled here (each is
    /// compiled once, in sequence, before it is checked).
    func specialisedChecks() -> [SelfTestResult] {
        let shapes: [SelfTestShape]
        do {
            shapes = try SelfTestShape.all()
        } catch {
            return [SelfTestResult(group: "kernels", name: "specialised shapes", status: .failed, detail: "\(error)")]
        }
        let variants = [
            Variant(type: .f32, epilogue: .none, ordering: .identity, allConfigs: false),
            Variant(type: .f16, epilogue: .bias, ordering: .identity, allConfigs: false),
            Variant(type: .bf16, epilogue: .biasReLU, ordering: .identity, allConfigs: false),
        ]
        var cost = (seconds: 0.0, bytes: 0, fmas: 0, kernels: 0)
        var results: [SelfTestResult] = []
        for shape in shapes {
            for v in variants {
                guard let spmm = try? problem(shape, v), let w = try? shape.matrix.roundedValues(through: v.type) else { continue }
                let configs = Self.specialisedSample(spmm)
                if configs.isEmpty { continue }
                // Compile each once, timed (the check below then finds it in the device's cache).
                for config in configs {
                    guard let source = try? KernelGen.render(spmm, config, pattern: w) else { continue }
                    let start = Date()
                    guard let loaded = try? device.load(source) else { continue }
                    cost.seconds += Date().timeIntervalSince(start)
                    cost.bytes += loaded.compiled.image.count
                    cost.fmas += shape.matrix.nnz * (config.asSpecialised?.vectorWidth ?? 1)
                    cost.kernels += 1
                }
                results.append(check(shape, v, only: Self.specialisedSample))
            }
            progress?("checked specialised \(shape.name)")
        }
        let fmas = Double(max(1, cost.fmas))
        results.append(SelfTestResult(
            group: "kernels", name: "specialised compile cost", status: cost.kernels > 0 ? .passed : .failed,
            detail: String(
                format: "%d kernels, %d written multiply-adds: %.1f s NVRTC (%.0f us and %.0f cubin bytes per multiply-add, fixed cost included)",
                cost.kernels, cost.fmas, cost.seconds, cost.seconds / fmas * 1e6, Double(cost.bytes) / fmas)))
        return results
    }

    /// Legal specialised configs for `problem`: every rows-per-block value, block size, vector
    /// width and values mode, both row orders, cycled together (not the product), plus the best
    /// of the space's survivors by the hand model.
    static func specialisedSample(_ problem: SpMMProblem) -> [SpMMConfig] {
        var list: [SpMMConfig] = []
        let rows = SpecialisedConfig.rowsPerBlockChoices, threads = SpecialisedConfig.threadChoices
        let vectors = SpecialisedConfig.vectorWidths
        let survivors = SpMMSpace().configs(for: problem).filter { $0.family == .specialised }
        if let best = HandCostModel().rank(survivors, for: problem).first { list.append(best) }
        for index in 0..<rows.count {
            for vector in [vectors[index % vectors.count], 1] {
                let config = SpMMConfig.specialised(SpecialisedConfig(
                    rowsPerBlock: rows[index % rows.count], threads: threads[index % threads.count], vectorWidth: vector,
                    values: index % 2 == 0 ? .constant : .array, localityOrder: (index + 1) / 2 % 2 == 1))
                if (try? config.validate(for: problem)) != nil, !list.contains(config) {
                    list.append(config)
                    break
                }
            }
        }
        return list
    }
}
