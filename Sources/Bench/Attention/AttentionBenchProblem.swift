import Foundation
import KernelGen
import Runtime
import SparseFormats

/// One problem of ``AttentionBenchJob``: checks, then times, Sparrow's configs and the baselines.
struct AttentionBenchProblem {
    var pattern: AttentionPattern
    var length: Int
    var batch: Int
    var heads: Int
    var headSize: Int
    var type: ElementType
    var q: [Float], k: [Float], v: [Float]

    var batchHeads: Int { batch * heads }

    mutating func measure(
        _ job: AttentionBenchJob, device: GPUDevice, operands: GPUAttentionOperands, torch: TorchAttention?, failures: inout [String]
    ) throws -> AttentionBenchReport.Row {
        let acsr = try ACSR(pattern, length: length)
        let op = try GPUSparseAttention(device: device, pattern: acsr, batchHeads: batchHeads, headSize: headSize, elementType: type)
        let label = "\(pattern) L=\(length) d=\(headSize) \(type.rawValue)"
        // Checked rows: a seeded sample, restricted to rows with at least one key (a row without
        // keys is zeros here and in FlexAttention, NaN in SDPA with a mask).
        let sample = try AttentionRows.sample(count: job.sampledRows, seed: UInt64(length)).resolve(length: length)
        let rows = sample.filter { acsr.rowLength[$0] > 0 }
        let reference = try ReferenceAttention(q: q, k: k, v: v, pattern: acsr, batchHeads: batchHeads, headSize: headSize, rows: .listed(rows))
        let verifier = Verifier(reference: reference.output)
        let precision = ComputePrecision(storage: type)
        let usefulFlops = 4 * Double(acsr.nnz) * Double(headSize) * Double(batchHeads)
        device.precompile(job.configs.flatMap { (try? op.sources($0)) ?? [] })

        var timings: [AttentionBenchReport.Timing] = []
        var fusedRows: [String: [Float]] = [:]
        for config in job.configs {
            var t = AttentionBenchReport.Timing(name: config.identifier)
            do {
                let bound = try op.bind(config, operands: operands)
                let output = reference.gather(try bound.checkedOutput(device: device))
                let verdict = verifier.check(output, precision: precision)
                t.errorVsReference = verdict.relativeError
                if let failure = verdict.failure {
                    t.failure = failure
                    failures.append("\(label) \(config): \(failure)")
                } else {
                    let samples = try bound.time(device: device, warmup: job.warmup, iterations: job.iterations)
                    Self.fill(&t, samples, flops: usefulFlops)
                    t.extraBytes = acsr.metadataBytes + (config.variant == .unfused ? op.scoreBytes : 0)
                    fusedRows[config.identifier] = output
                }
            } catch {
                t.failure = "\(error)"
                failures.append("\(label) \(config): \(error)")
            }
            timings.append(t)
        }
        let fused = timings.filter { t in t.ms != nil && job.configs.contains { $0.identifier == t.name && $0.variant != .unfused } }
            .min { ($0.ms ?? .infinity) < ($1.ms ?? .infinity) }
        let unfused = timings.first { t in job.configs.contains { $0.identifier == t.name && $0.variant == .unfused } }
        var row = AttentionBenchReport.Row(
            pattern: pattern.description, length: length, headSize: headSize, dtype: type.rawValue, nnz: acsr.nnz, density: acsr.density,
            segmentsPerRow: acsr.segmentsPerRow, viewStride: op.shape.viewStride, sparrow: timings, fused: fused, unfused: unfused,
            baselines: [])
        guard let torch else { return row }
        do {
            row.torchSetup = try torch.setup(
                pattern: pattern.description, length: length, batch: batch, heads: heads, headSize: headSize, dtype: type.rawValue, seed: 0)
            for name in TorchAttention.baselines {
                var t = AttentionBenchReport.Timing(name: name)
                do {
                    let (out, firstMs) = try torch.run(name, rows: rows)
                    if name == "flex" {
                        row.flexFirstCallMs = firstMs
                        if let best = fused.flatMap({ fusedRows[$0.name] }) {
                            row.fusedVsFlex = Verifier(reference: out).check(best, precision: precision).relativeError
                        }
                    }
                    if name != "sdpa-dense" {
                        // The baselines see the same inputs: their outputs must match the reference too.
                        let verdict = verifier.check(out.map { Float($0) }, precision: precision)
                        t.errorVsReference = verdict.relativeError
                        if let failure = verdict.failure { failures.append("\(label) \(name): \(failure)") }
                    }
                    let (samples, peak) = try torch.time(name, warmup: job.warmup, iterations: job.iterations)
                    Self.fill(&t, samples, flops: usefulFlops)
                    t.extraBytes = peak
                } catch {
                    t.failure = "\(error)"
                }
                row.baselines.append(t)
            }
            try torch.free()
        } catch {
            row.baselines.append(AttentionBenchReport.Timing(name: "torch", failure: "\(error)"))
        }
        return row
    }

    static func fill(_ t: inout AttentionBenchReport.Timing, _ samples: [Double], flops: Double) {
        let median = Statistics.median(samples)
        t.ms = median * 1e3
        t.spread = samples.min().map { median / $0 }
        t.tflops = flops / median / 1e12
    }
}
