import KernelGen
import SparseFormats
import Testing
import Tuner

@testable import Models

/// The GPU planner's shortlist (and the encoder self-test's, which takes its first config) must
/// hold only configs a ``Runtime/GPULinear`` can bind: W as CSR in row order. The default space
/// ranks the specialised family first at 90% zeros, whose kernels need the pattern and which the
/// encoder self-test once picked (H200, 2026-12-01: every 90%-zeros per-layer form failed).
struct GPULinearPlannerSpaceTests {
    static let bindable: Set<KernelParameter.Role> = [.rows, .columnsOfX, .rowOffsets, .columnIndices, .values, .x, .y, .bias, .residual]

    @Test(arguments: [0.5, 0.9, 0.97], [ElementType.f32, .f16])
    func shortlistBindsAsCSRInRowOrder(sparsity: Double, type: ElementType) throws {
        var generator = SeededGenerator(seed: 11)
        let dense = try DenseMatrix(rows: 384, columns: 384, storage: (0..<384 * 384).map { _ in Float.random(in: -1...1, using: &generator) })
        let w = try dense.prunedCSR(.unstructured, sparsity: sparsity).matrix
        let problem = try SpMMProblem(pattern: w, m: 64, patternDigest: w.patternDigest.value, elementType: type, epilogue: .biasGELU, device: .sm90)
        let shortlist = PortfolioShortlist.configs(for: problem, limit: 8, space: GPULinearPlanner.space).configs
        #expect(!shortlist.isEmpty)
        for config in shortlist {
            #expect(GPULinearPlanner.space.families.contains(config.family), "\(config)")
            let source = try KernelGen.render(problem, config, pattern: w)
            let roles = Set(source.parameters.map(\.role))
            #expect(roles.isSubset(of: Self.bindable), "\(config) binds \(roles.subtracting(Self.bindable))")
        }
    }
}
