import Testing
import Tuner

@Suite struct ProxyStageTests {
    let problem = ToyProblem(target: 6)
    let search = Search(space: ToySpace(), strategy: Exhaustive())

    @Test func theProxyRanksEveryCandidateAndOnlyTheBestFewAreTimedFully() throws {
        let survivors = ToySpace().prune(problem).survivors
        let measurer = FaultyMeasurer()
        let sink = MemoryTrialSink<ToyProblem, ToyConfig>(recalls: true)
        let result = try search.run(for: problem, measurer: measurer, sink: sink, proxy: ProxyStage(keep: 3))
        #expect(measurer.proxied == survivors)
        #expect(measurer.measured.count == 3)
        #expect(result.proxyTrials.count == survivors.count)
        #expect(result.proxyTrials.allSatisfy { $0.phase == .proxy && $0.proxySeconds == $0.seconds })
        #expect(result.trials.count == 3)
        #expect(result.trials.allSatisfy { $0.phase == .full && $0.proxySeconds != nil })
        // The proxy's three fastest, in proxy order.
        let proxyOrder = result.proxyTrials.sorted { ($0.seconds ?? 0) < ($1.seconds ?? 0) }.map(\.config)
        #expect(measurer.measured == Array(proxyOrder.prefix(3)))
        #expect(result.best.config == ToyConfig(2, 3))
        #expect(result.strategy.hasSuffix("proxy then the best 3"))
        // Proxy trials are recorded but never recalled as full ones.
        #expect(sink.trials.count == survivors.count + 3)
        let rerun = FaultyMeasurer()
        let again = try search.run(for: problem, measurer: rerun, sink: sink, proxy: ProxyStage(keep: 3))
        #expect(rerun.measured.isEmpty)
        #expect(again.recalled == 3)
        #expect(Set(rerun.proxied) == Set(survivors).subtracting(measurer.measured))
    }

    @Test func agreementOfANoisyProxyWithFullTimes() throws {
        let measurer = FaultyMeasurer()
        measurer.noise = 0.04
        let survivors = ToySpace().prune(problem).survivors
        var proxy: [ToyConfig: Double] = [:], full: [ToyConfig: Double] = [:]
        for config in survivors {
            proxy[config] = measurer.measureProxy(config, for: problem).seconds
            full[config] = measurer.measure(config, for: problem).seconds
        }
        let agreement = try #require(ProxyAgreement(proxy: proxy, full: full))
        #expect(agreement.candidates == survivors.count)
        #expect(agreement.kendallTau > 0.8)
        #expect(agreement.kendallTau <= 1)
        #expect(agreement.proxyBestWithin3Percent)

        // The same order gives 1, the reverse -1; a wrong pick is reported by how far it is.
        let same = try #require(ProxyAgreement(proxy: ["a": 1.0, "b": 2, "c": 3], full: ["a": 10.0, "b": 20, "c": 30]))
        #expect(same.kendallTau == 1)
        #expect(same.proxyBestRatio == 1)
        let reversed = try #require(ProxyAgreement(proxy: ["a": 3.0, "b": 2, "c": 1], full: ["a": 10.0, "b": 20, "c": 30]))
        #expect(reversed.kendallTau == -1)
        #expect(reversed.proxyBestRatio == 3)
        #expect(!reversed.proxyBestWithin3Percent)
        // Ties: tau-b.
        let tied = try #require(ProxyAgreement(proxy: ["a": 1.0, "b": 1, "c": 2], full: ["a": 1.0, "b": 2, "c": 3]))
        #expect(abs(tied.kendallTau - 2 / 6.0.squareRoot()) < 1e-12)
        #expect(ProxyAgreement(proxy: ["a": 1.0], full: ["a": 1.0]) == nil)
    }
}
