@testable import Bench
import KernelGen
import SparseFormats
import Testing
import Tuner

/// `sparrow tune` and `sparrow bench spmm` search the row order: their top-k searches end with
/// the row-order twins, `--no-reorder` leaves them out, and `--sample` spreads evenly.
@Suite struct RowOrderSearchTests {
    @Test func theTopKSearchesMeasureTheTwins() throws {
        var job = TuneJob(action: .list)
        let model = LearnedCostModel(try SpMMCostModelFile.shipped.get())
        #expect(job.gpuSearch(model: model).strategy.name.hasSuffix("then the row-order twins of its first 2"))
        job.ranking = .hand
        #expect(job.gpuSearch(model: nil).strategy.name.hasSuffix("then the row-order twins of its first 2"))
        job.breadth = .exhaustive
        #expect(!job.gpuSearch(model: nil).strategy.name.contains("twins"), "an exhaustive search times every twin anyway")
        let bench = try #require(ConfigChoice.search(limit: 16).search(in: SpMMSpace()))
        #expect(bench.strategy.name.hasSuffix("then the row-order twins of its first 2"))
        let plain = try #require(ConfigChoice.search(limit: 16).search(in: SpMMSpace(specialise: true, reorder: false)))
        #expect(plain.space.rowOrders == [.identity])
    }

    @Test func anEvenSampleTakesTheEndsAndBetween() {
        let names = (0..<10).map { "layer\($0)" }
        #expect(EvenSample.pick(names, count: 3) == ["layer0", "layer4", "layer9"])
        #expect(EvenSample.pick(names, count: 1) == ["layer0"])
        #expect(EvenSample.pick(names, count: 10) == names && EvenSample.pick(names, count: 20) == names)
        #expect(EvenSample.pick(names, count: 0).isEmpty)
        #expect(Set(EvenSample.pick(names, count: 5)).count == 5)
    }
}
