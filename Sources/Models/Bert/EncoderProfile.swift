/// Where forward passes spent their time, by layer kind, when an ``EncoderWorkspace`` carries one
/// (`workspace.profile`): a clock read around each step, so leave it off when timing whole passes.
package final class EncoderProfile {
    /// linear: the linear layers (dense GEMM or sparse kernels, with the bias, GELU and residual
    /// adds in their epilogues); attention: scores, softmax and weighted sums; norms: LayerNorms;
    /// other: embeddings, pooling and normalisation.
    package enum Kind: String, CaseIterable, Codable, Sendable { case linear, attention, norms, other }

    package private(set) var seconds: [Kind: Double] = [:]
    /// Forward passes recorded.
    package private(set) var passes = 0

    package init() {}

    /// Mean seconds per pass of each kind (0 for a kind never seen).
    package var perPass: [Kind: Double] {
        Dictionary(uniqueKeysWithValues: Kind.allCases.map { ($0, passes == 0 ? 0 : (seconds[$0] ?? 0) / Double(passes)) })
    }

    package func reset() {
        seconds = [:]
        passes = 0
    }

    func add(_ kind: Kind, _ duration: Duration) {
        let parts = duration.components
        seconds[kind, default: 0] += Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }

    func countPass() { passes += 1 }
}

extension BertEncoder {
    /// Runs `body`, adding its time to `workspace.profile`'s `kind` when there is a profile.
    func timed<R>(_ kind: EncoderProfile.Kind, _ workspace: EncoderWorkspace, _ body: () -> R) -> R {
        guard let profile = workspace.profile else { return body() }
        let start = ContinuousClock.now
        defer { profile.add(kind, start.duration(to: .now)) }
        return body()
    }
}
