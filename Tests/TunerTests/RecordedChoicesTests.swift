import Foundation
import KernelGen
import SparseFormats
import Testing

@testable import Tuner

/// The Tuner reproduces exactly, in order, what KernelGen and Runtime chose at commit 3aabf91
/// (before choosing moved out of KernelGen): the space, the ranking and the sweep's shortlist.
/// That space held the CSR families only; the compact family (issue 12) came later and is left
/// out here (``csrSpace``); its own tests are in KernelGenTests and FamilySpaceTests.
@Suite struct RecordedChoicesTests {
    /// The space of 3aabf91's families and rules (``RecordedChoices/space``).
    static let csrSpace = RecordedChoices.space

    @Test(arguments: try RecordedChoices.all())
    func spaceRankingAndShortlistAreUnchanged(_ recorded: RecordedChoices) throws {
        let problem = try recorded.problem()
        let space = Self.csrSpace.configs(for: problem)
        #expect(space.map(\.description) == recorded.space)
        #expect(DiversifiedRanking().ranked(space, for: problem, limit: 16).map(\.description) == recorded.ranked16)
        #expect(PortfolioShortlist.configs(for: problem, limit: 16, space: Self.csrSpace).configs.map(\.description) == recorded.sweep16)
        if let sweepAll = recorded.sweepAll {
            #expect(PortfolioShortlist.configs(for: problem, limit: Int.max, space: Self.csrSpace).configs.map(\.description) == sweepAll)
        }
    }

    /// Every kernel of every recorded space renders to the same text, geometry and parameters as
    /// when the digests were last written (a digest per problem; KernelGen's golden files show
    /// single kernels in full): first at 3aabf91; rewritten in session 7 for one comment line, the
    /// dependent-launch marker of the tiled kernels. A change to generated code must be meant:
    /// `SPARROW_UPDATE_GOLDEN=1` rewrites the file.
    @Test func everyKernelOfEveryRecordedSpaceRendersAsBefore() throws {
        let file = RecordedChoices.folder.appendingPathComponent("render-digests.txt")
        let text = try String(contentsOf: file, encoding: .utf8)
        let expected = text.split(separator: "\n").map(String.init)
        let recorded = try RecordedChoices.all()
        #expect(expected.count == recorded.count)
        var digests: [String] = []
        for (index, entry) in recorded.enumerated() {
            let problem = try entry.problem()
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            var count = 0
            for config in Self.csrSpace.configs(for: problem) {
                let kernel = try KernelGen.render(problem, config)
                let text = kernel.source + kernel.entryPoint + "\(kernel.grid)\(kernel.block)\(kernel.dynamicSharedMemoryBytes)"
                    + kernel.parameters.map(\.description).joined(separator: ",") + "\(kernel.minimumComputeCapability)"
                for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
                count += 1
            }
            let line = index < expected.count ? expected[index] : ""
            digests.append("\(entry.name) \(entry.type) \(entry.device) \(count) \(String(hash, radix: 16))")
            #expect(digests.last == line)
        }
        if ProcessInfo.processInfo.environment["SPARROW_UPDATE_GOLDEN"] == "1" {
            try (digests.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        }
    }
}
