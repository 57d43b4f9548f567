import KernelGen
import Models
import Runtime
import SparseFormats
import Tuner

/// The GPU encoder against the CPU encoder (fp32, dense) on seeded random weights of a small
/// BERT (2 layers, hidden 64, 2 heads of 32, FFN 128): fp32 and fp16, unpruned and 90% zeros
/// (every linear layer then on the SpMM kernels with their fused epilogues), every form
/// (each attention kernel, epilogues separate and folded, and on sm_90 the fused-CSR forms, whose
/// kernels read W's CSR arrays whether or not the layer has zeros), a padded batch of three rows
/// (64, 20 and 1 real tokens). The forms that need a wider model (the persistent kernel: hidden a
/// multiple of 128) run on a second one (2 layers, hidden 128, 4 heads of 32, FFN 256), fp16.
struct GPUEncoderSelfTest {
    let device: GPUDevice

    static let config = BertConfig(hiddenSize: 64, layerCount: 2, headCount: 2, intermediateSize: 128, maxPositions: 64, vocabularySize: 50)
    static let wideConfig = BertConfig(hiddenSize: 128, layerCount: 2, headCount: 4, intermediateSize: 256, maxPositions: 64, vocabularySize: 50)

    static func batch() -> TokenBatch {
        var rng = SeededGenerator(label: "selftest/gpu-encoder/ids")
        let encodings = [64, 20, 1].map { length in
            BertTokenizer.Encoding(ids: (0..<length).map { _ in Int32(rng.next() % 50) }, typeIDs: (0..<length).map { _ in Int32(rng.next() % 2) })
        }
        return TokenBatch(encodings, padID: 0)
    }

    func run() -> [SelfTestResult] {
        let capability = device.limits.computeCapability
        func forms(_ config: BertConfig, _ type: ElementType) -> [GPUEncoderForm] {
            GPUEncoderForm.available(on: capability, type: type, hidden: config.hiddenSize, heads: config.headCount)
        }
        return run(Self.config, forms: forms) + run(Self.wideConfig) { config, type in
            forms(config, type).filter { !forms(Self.config, type).contains($0) }
        }
    }

    /// Every form of `forms(config, type)` against the CPU encoder, on a model of `config`.
    func run(_ config: BertConfig, forms: (BertConfig, ElementType) -> [GPUEncoderForm]) -> [SelfTestResult] {
        var results: [SelfTestResult] = []
        let batch = Self.batch()
        let model = config == Self.config ? "" : " hidden \(config.hiddenSize)"
        for zeros in [0.0, 0.9] {
            let weights: BertWeights, reference: [Float]
            do {
                weights = try BertWeights.seeded(config, zeros: zeros, label: "selftest/gpu-encoder")
                reference = try BertEncoder(weights, plan: .dense).embed(batch, workspace: EncoderWorkspace())
            } catch {
                results.append(SelfTestResult(group: "encoder", name: "gpu encoder\(model) reference", status: .failed, detail: "\(error)"))
                continue
            }
            for type in [ElementType.f32, .f16] where !forms(config, type).isEmpty {
                // One encoder, session and plan per (zeros, type); every form is bound and captured in it.
                let prepared: (GPUEncoderSession, [String: GPULinearKernel])
                do {
                    let encoder = try GPUBertEncoder(weights, device: device, type: type)
                    let session = try GPUEncoderSession(encoder: encoder, batch: batch.count, bucket: 64)
                    // Pruned: every layer on the first SpMM config of the planner's shortlist (the CSR
                    // families a layer binds), to check the fused epilogues.
                    var plan: [String: GPULinearKernel] = [:]
                    if zeros > 0 {
                        for layer in encoder.linears {
                            let problem = try layer.problem(tokens: session.tokens, epilogue: layer.epilogue, device: device)
                            if let config = PortfolioShortlist.configs(for: problem, limit: 1, space: GPULinearPlanner.space).configs.first { plan[layer.name] = .sparse(config) }
                        }
                    }
                    try session.upload(batch, padID: 0)
                    prepared = (session, plan)
                } catch {
                    results.append(SelfTestResult(group: "encoder", name: "gpu encoder\(model) \(type.rawValue) \(Int(zeros * 100))% zeros", status: .failed, detail: "\(error)"))
                    continue
                }
                let (session, plan) = prepared
                for form in forms(config, type) {
                    let name = "gpu encoder\(model) \(type.rawValue) \(Int(zeros * 100))% zeros, \(form)"
                    do {
                        try session.prepare(plan: plan, form: form)
                        let ours = try session.run()
                        let cosine = EmbeddingCosine.minimum(ours, reference, dimension: config.hiddenSize)
                        let bar = EmbeddingCosine.bar(type)
                        results.append(SelfTestResult(
                            group: "encoder", name: name, status: cosine >= bar ? .passed : .failed,
                            detail: "smallest cosine vs the CPU encoder \(String(format: "%.7f", cosine)) (bar \(bar)); \(session.sparseLayerCount) of \(session.encoder.linears.count) layers on W's nonzeros"))
                    } catch {
                        results.append(SelfTestResult(group: "encoder", name: name, status: .failed, detail: "\(error)"))
                    }
                }
            }
        }
        return results
    }
}
