import KernelGen
import SparseFormats
import Testing

@testable import Tuner

/// The specialised family in the tuner: present up to the size limit, left out by
/// `SpMMSpace(specialise: false)`, pruned by its rules with their reasons, kept by the rankings.
@Suite struct SpecialisedSpaceTests {
    /// A DLMC-like small layer: 256 x 256 at 90%, m = 256.
    func small() throws -> SpMMProblem { try makeProblem(n: 256, k: 256, m: 256, nnz: 6554, maxRowLength: 40) }

    @Test func presentUpToTheLimitAndSwitchable() throws {
        let specialised = try SpMMSpace().configs(for: small()).filter { $0.family == .specialised }
        #expect(!specialised.isEmpty)
        #expect(try SpMMSpace(specialise: false).configs(for: small()).allSatisfy { $0.family != .specialised })
        let large = try makeProblem(n: 512, k: 4608, m: 256, nnz: SpecialisedConfig.maxNonzeros + 1, maxRowLength: 60)
        #expect(SpMMSpace().configs(for: large).allSatisfy { $0.family != .specialised })
        let report = SpMMSpace().prune(large)
        #expect(report.survivors.allSatisfy { $0.family != .specialised })
    }

    @Test func rulesRemoveWhatTheyName() throws {
        let problem = try small()
        let long = try makeProblem(n: 64, k: 4096, m: 256, nnz: 16_000, maxRowLength: 300)
        func config(_ rows: Int, _ threads: Int, _ vector: Int) -> SpMMConfig {
            .specialised(SpecialisedConfig(rowsPerBlock: rows, threads: threads, vectorWidth: vector, values: .array, localityOrder: false))
        }
        // 16 rows of 250 nonzeros at v4 plus array loads: ~80 KiB of code per block, above half of 128 KiB.
        #expect(SpMMPruningRule.specialisedCodeExceedsCache.rejectionTest(among: [], for: long)(config(16, 64, 4)))
        #expect(!SpMMPruningRule.specialisedCodeExceedsCache.rejectionTest(among: [], for: long)(config(1, 64, 4)))
        #expect(SpMMPruningRule.specialisedNarrowVector.rejectionTest(among: [], for: problem)(config(1, 64, 1)))
        #expect(!SpMMPruningRule.specialisedNarrowVector.rejectionTest(among: [], for: problem)(config(1, 64, 2)))
        #expect(SpMMPruningRule.specialisedIdleHalf.rejectionTest(among: [], for: problem)(config(1, 256, 4)))
        #expect(!SpMMPruningRule.specialisedIdleHalf.rejectionTest(among: [], for: problem)(config(1, 64, 4)))
        #expect(SpMMPruningRule.standard.contains { $0.name == "specialised-code-exceeds-icache" })
    }

    /// The hand model's shortlist and the learned top k's safety net both keep one.
    @Test func rankingsKeepTheFamily() throws {
        let problem = try small()
        let shortlist = PortfolioShortlist.configs(for: problem, limit: 16).configs
        #expect(shortlist.contains { $0.family == .specialised })
        let survivors = SpMMSpace().configs(for: problem)
        let net = UnseenFamilies.strategy().plan(SearchCandidates(problem: problem, survivors: survivors, legality: { _ in nil })).shortlist
        #expect(net.count == 1 && net.allSatisfy { $0.family == .specialised })
        // The estimate is finite and positive for every survivor.
        for config in survivors where config.family == .specialised {
            let estimate = HandCostModel().estimatedNanoseconds(config, for: problem)
            #expect(estimate.isFinite && estimate > 0)
        }
    }
}
