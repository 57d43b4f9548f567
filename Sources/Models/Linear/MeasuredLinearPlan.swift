import Foundation

/// The planner's measurements and choices, per linear layer and token count; saved as JSON
/// (`--plan-file`) and turned into the ``LinearPlan`` of one batch shape.
package struct MeasuredLinearPlan: Sendable, Codable, Hashable {
    package struct Entry: Sendable, Codable, Hashable {
        package var layer: String
        /// `[outputs, inputs]`.
        package var shape: [Int]
        /// Rows of X: the batch's tokens.
        package var tokens: Int
        package var sparsity: Double
        package var kernel: LinearKernel
        package var denseMs: Double
        package var sparseMs: Double
        /// The sparse kernels' block shape (`[1, 1]`: CSR).
        package var block: [Int]?
    }

    package var entries: [Entry]

    package init(entries: [Entry]) { self.entries = entries }

    /// Token counts measured.
    package var tokenCounts: [Int] { Array(Set(entries.map(\.tokens))).sorted() }

    /// Each layer's choice at the measured token count nearest `tokens` (on a log scale); layers
    /// not measured follow the sparsity rule.
    package func linearPlan(tokens: Int) -> LinearPlan {
        let nearest = tokenCounts.min { abs(log(Double($0)) - log(Double(max(tokens, 1)))) < abs(log(Double($1)) - log(Double(max(tokens, 1)))) }
        var kernels: [String: LinearKernel] = [:]
        for entry in entries where entry.tokens == nearest { kernels[entry.layer] = entry.kernel }
        return LinearPlan(kernels: kernels)
    }

    /// Why the plan does not describe `layers` (a layer it lacks, or one whose shape or sparsity
    /// differs: other weights), or nil when it does.
    package func mismatch(_ layers: [LinearLayer]) -> String? {
        for layer in layers {
            let measured = entries.filter { $0.layer == layer.name }
            guard let entry = measured.first else { return "no entry for \(layer.name)" }
            if entry.shape != [layer.outputs, layer.inputs] || abs(entry.sparsity - layer.sparsity) > 1e-6 {
                return String(format: "%@ is %dx%d at sparsity %.4f here, %dx%d at %.4f in the plan", layer.name, layer.outputs, layer.inputs,
                              layer.sparsity, entry.shape.first ?? 0, entry.shape.last ?? 0, entry.sparsity)
            }
        }
        return nil
    }

    /// Reads a plan saved by ``write(to:)``.
    package init(contentsOf path: String) throws(ModelError) {
        do {
            self = try JSONDecoder().decode(Self.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw ModelError(path: path, .unreadable(reason: "not a saved linear plan: \(error)"))
        }
    }

    package func write(to path: String) throws(ModelError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do { try (encoder.encode(self) + Data("\n".utf8)).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw ModelError(path: path, .unreadable(reason: "could not write the plan: \(error)"))
        }
    }

    /// One line per layer and token count: what was measured and chosen.
    package var table: String {
        var lines = ["layer\tshape\ttokens\tsparsity\tkernel\tdense ms\tsparse ms"]
        for e in entries {
            lines.append(String(format: "%@\t%dx%d\t%d\t%.3f\t%@\t%.3f\t%.3f", e.layer, e.shape[0], e.shape[1], e.tokens, e.sparsity,
                                e.kernel.rawValue, e.denseMs, e.sparseMs))
        }
        return lines.joined(separator: "\n")
    }
}
