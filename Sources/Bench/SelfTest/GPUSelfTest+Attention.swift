import KernelGen
import Runtime
import SparseFormats

extension GPUSelfTest {
    /// Sparse attention: every config of the attention space the device runs (fused tensor core on
    /// `mma.sync` and, on compute capability 9.0, on `wgmma`; fused row warp; unfused three) at f16
    /// and bf16 on awkward cases (``AttentionSelfTestCase/all()``), each against
    /// ``SparseFormats/ReferenceAttention`` (Float64) with O poisoned first.
    func attentionChecks() -> [SelfTestResult] {
        let cases: [AttentionSelfTestCase]
        do {
            cases = try AttentionSelfTestCase.all()
        } catch {
            return [SelfTestResult(group: "attention", name: "attention cases", status: .failed, detail: "\(error)")]
        }
        var sources: [KernelSource] = []
        for c in cases {
            for type in AttentionProblem.elementTypes {
                guard let op = try? GPUSparseAttention(device: device, pattern: c.pattern, batchHeads: c.batchHeads, headSize: c.headSize, elementType: type)
                else { continue }
                for config in Self.attentionConfigs(device.limits.computeCapability) { sources += (try? op.sources(config)) ?? [] }
            }
        }
        progress?("compiling \(sources.count) attention kernels with NVRTC")
        device.precompile(sources)
        var results: [SelfTestResult] = []
        for c in cases {
            for type in AttentionProblem.elementTypes { results.append(check(c, type)) }
            progress?("checked attention \(c.name)")
        }
        return results
    }

    /// The configs whose instructions this device has (the wg kernels need compute capability 9.0).
    static func attentionConfigs(_ capability: ComputeCapability) -> [AttentionConfig] {
        AttentionConfig.all.filter { $0.runs(on: capability) }
    }

    /// Every config on one case and type, summed up in one line.
    func check(_ c: AttentionSelfTestCase, _ type: ElementType) -> SelfTestResult {
        let name = "attention \(type.rawValue) \(c.name)"
        do {
            let elements = c.batchHeads * c.pattern.length * c.headSize
            var rng = SeededGenerator(label: "selftest/attention/\(c.name)")
            // Q spans [-2, 2] so that rows' softmaxes are peaked, not flat; values rounded through the type.
            let q = (0..<elements).map { _ in ElementBytes.roundTrip(2 * rng.nextSignedUnitFloat(), type) }
            let k = (0..<elements).map { _ in ElementBytes.roundTrip(rng.nextSignedUnitFloat(), type) }
            let v = (0..<elements).map { _ in ElementBytes.roundTrip(rng.nextSignedUnitFloat(), type) }
            let reference = try ReferenceAttention(q: q, k: k, v: v, pattern: c.pattern, batchHeads: c.batchHeads, headSize: c.headSize, rows: c.rows)
            let verifier = Verifier(reference: reference.output)
            let op = try GPUSparseAttention(device: device, pattern: c.pattern, batchHeads: c.batchHeads, headSize: c.headSize, elementType: type)
            let operands = try GPUAttentionOperands(device: device, q: q, k: k, v: v, type: type)
            var failures: [String] = [], checked = 0, worst = 0.0
            for config in Self.attentionConfigs(device.limits.computeCapability) {
                checked += 1
                do {
                    let output = try op.bind(config, operands: operands).checkedOutput(device: device)
                    let verdict = verifier.check(reference.gather(output), precision: ComputePrecision(storage: type))
                    if let failure = verdict.failure {
                        failures.append("\(config): \(failure)")
                    } else {
                        worst = max(worst, verdict.relativeError ?? 0)
                    }
                } catch {
                    failures.append("\(config): \(error)")
                }
            }
            let detail = "\(checked) configs, view stride \(op.shape.viewStride), worst relative error \(String(format: "%.2e", worst))"
            if failures.isEmpty { return SelfTestResult(group: "attention", name: name, status: .passed, detail: detail) }
            return SelfTestResult(
                group: "attention", name: name, status: .failed,
                detail: "\(failures.count) of \(checked) configs failed: " + failures.prefix(4).joined(separator: "; "))
        } catch {
            return SelfTestResult(group: "attention", name: name, status: .failed, detail: "\(error)")
        }
    }
}

/// One sparse-attention self-test case: a pattern laid out over a length, batch x heads, a head
/// size, and the rows the Float64 reference checks.
package struct AttentionSelfTestCase: Sendable {
    package var name: String
    package var pattern: ACSR
    package var batchHeads: Int
    package var headSize: Int
    package var rows: AttentionRows

    /// Lengths that are no multiple of any tile, rows with no key and with one key, tiny windows,
    /// every pattern kind (a union with mixed strides too), view strides above 1, head sizes 32,
    /// 64 and 128, and two long cases checked on a sample of rows. The last five have global rows
    /// of 900-3000 keys, so the split configs (T = 2, 8, 32 tiles) cut their blocks into splits
    /// of uneven length (T = 2 cuts every block), with rows of one key, rows of none (a global
    /// row among them) and rows whose keys fall in only some splits.
    package static func all() throws -> [AttentionSelfTestCase] {
        func make(_ spelling: String, _ length: Int, bh: Int, d: Int, rows: AttentionRows = .all) throws -> AttentionSelfTestCase {
            let pattern = try ACSR(try AttentionPattern(parsing: spelling), length: length)
            return AttentionSelfTestCase(name: "\(spelling) L=\(length) bh=\(bh) d=\(d)", pattern: pattern, batchHeads: bh, headSize: d, rows: rows)
        }
        return [
            try make("window:8", 77, bh: 3, d: 64),
            try make("window:0", 65, bh: 2, d: 32),  // one key a row (itself)
            try make("causal:5", 130, bh: 2, d: 128),  // row 0 has one key
            try make("causal:0", 40, bh: 2, d: 64),  // every row empty: zeros
            try make("dilated:9:3", 200, bh: 2, d: 64),  // view stride 3
            try make("dilated:6:4", 33, bh: 1, d: 32),  // view stride 4, classes of 9 and 8 queries
            try make("global:3+window:4", 150, bh: 2, d: 64),
            try make("blocked:16", 100, bh: 2, d: 128),  // the last block partial
            try make("window:2+dilated:8:5", 97, bh: 2, d: 64),  // mixed strides in one row: view stride 1, stepped masks
            try make("blocked:7+global:2+window:0", 71, bh: 1, d: 128),
            try emptyRows(),
            try make("window:256", 1000, bh: 2, d: 128, rows: .sample(count: 96, seed: 15)),
            try make("dilated:64:4", 1500, bh: 2, d: 64, rows: .sample(count: 96, seed: 16)),
            try make("global:16+window:32", 3000, bh: 2, d: 64),  // block 0 walks 47-49 tiles of 64 keys
            try make("global:5+window:0", 1700, bh: 1, d: 128),  // 6 keys a row, 5 rows of 1700
            try make("global:1+causal:0", 900, bh: 2, d: 32),  // one key a row (key 0), row 0 all 900
            try make("global:3+dilated:24:3", 2200, bh: 1, d: 64, rows: .sample(count: 128, seed: 17)),
            try emptyRows(base: "global:4+window:6", length: 2000, every: 7, d: 128),  // rows 0 (global), 7, 14, ... empty
        ]
    }

    /// A window of 6 over 90 tokens with every fifth row emptied (ACSR from raw arrays).
    static func emptyRows() throws -> AttentionSelfTestCase {
        try emptyRows(base: "window:6", length: 90, every: 5, d: 64)
    }

    /// `base` over `length` tokens with rows 0, every, 2 every, ... emptied (ACSR from raw arrays), bh 2.
    static func emptyRows(base spelling: String, length: Int, every: Int, d: Int) throws -> AttentionSelfTestCase {
        let base = try ACSR(try AttentionPattern(parsing: spelling), length: length)
        var start = base.segmentStart, strides = base.segmentStride, count = base.segmentCount
        var rowLength = base.rowLength, rowOffset = base.rowOffset
        let s = base.segmentsPerRow
        for i in stride(from: 0, to: length, by: every) {
            for slot in 0..<s { start[i * s + slot] = 0; strides[i * s + slot] = 0; count[i * s + slot] = 0 }
            rowLength[i] = 0
        }
        for i in 0..<length { rowOffset[i + 1] = rowOffset[i] + Int64(rowLength[i]) }
        let pattern = try ACSR(
            validating: length, segmentsPerRow: s, segmentStart: start, segmentStride: strides, segmentCount: count, rowLength: rowLength,
            rowOffset: rowOffset)
        let name = "\(spelling) L=\(length), every \(every == 5 ? "fifth" : "\(every)th") row empty, bh=2 d=\(d)"
        return AttentionSelfTestCase(name: name, pattern: pattern, batchHeads: 2, headSize: d, rows: .all)
    }
}
