import KernelGen
import Runtime
import SparseFormats

/// A sentence-transformers model folder ready to embed text on the GPU: its tokenizer, its
/// encoder on the device, mean pooling + L2 normalisation, and one prepared session (buffers and
/// CUDA graph) per (batch, bucket), each planned when first used.
package final class GPUSentenceEncoder {
    package let tokenizer: BertTokenizer
    package let encoder: GPUBertEncoder
    package let buckets: SequenceBuckets
    package let normalize: Bool
    /// Measure each layer (cuBLAS vs SpMM) per session; false: every layer on cuBLAS.
    package var measurePlan: Bool
    package var planner = GPULinearPlanner()
    private var sessions: [[Int]: GPUEncoderSession] = [:]
    /// The plan entries of every session prepared so far.
    package private(set) var entries: [GPUPlanEntry] = []

    package init(folder path: String, device: GPUDevice, type: ElementType, measurePlan: Bool = true) throws {
        let folder = try ModelFolder(path)
        let config = try BertConfig(folder: folder)
        let maxLength = try folder.maxSequenceLength(fallback: config.maxPositions)
        tokenizer = try folder.tokenizer(maxLength: maxLength)
        encoder = try GPUBertEncoder(try BertWeights(folder: folder, config: config), device: device, type: type)
        buckets = SequenceBuckets(maximumLength: min(maxLength, config.maxPositions), limit: EncoderKernels.maximumBucket)
        normalize = try SentencePooling(folder: folder).normalize
        self.measurePlan = measurePlan
        guard normalize else {
            throw ModelError(path: folder.file("modules.json"), .unsupported(field: "Normalize", value: "absent (the GPU path pools and normalises)"))
        }
    }

    /// The prepared session for `count` texts padded to `length` tokens.
    package func session(count: Int, length: Int) throws -> GPUEncoderSession {
        guard let bucket = buckets.bucket(for: length) else {
            throw ModelError(path: "", .unsupported(field: "sequence length", value: "\(length) (longest bucket \(buckets.maximum))"))
        }
        if let hit = sessions[[count, bucket]] { return hit }
        let session = try GPUEncoderSession(encoder: encoder, batch: count, bucket: bucket)
        if measurePlan {
            let measured = try planner.plan(session)
            let chosen = try planner.chooseGraph(session, plan: measured.plan, entries: measured.entries)
            entries += measured.entries.map { entry in
                var e = entry
                e.kernel = (chosen.plan[entry.layer] ?? .dense).description
                return e
            }
        } else {
            try session.prepare(plan: [:])
        }
        sessions[[count, bucket]] = session
        return session
    }

    /// One embedding per text, in order, `batchSize` texts a forward pass.
    package func embed(_ texts: [String], batchSize: Int) throws -> [[Float]] {
        let h = encoder.config.hiddenSize
        var out: [[Float]] = []
        for start in stride(from: 0, to: texts.count, by: batchSize) {
            let batch = tokenizer.encodeBatch(Array(texts[start..<min(start + batchSize, texts.count)]))
            let session = try session(count: batch.count, length: max(batch.length, 1))
            try session.upload(batch, padID: tokenizer.padID)
            let flat = try session.run()
            for row in 0..<batch.count { out.append(Array(flat[(row * h)..<((row + 1) * h)])) }
        }
        return out
    }
}
