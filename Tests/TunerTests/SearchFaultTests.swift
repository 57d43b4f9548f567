import Testing
import Tuner

@Suite struct SearchFaultTests {
    let problem = ToyProblem(target: 6)
    let search = Search(space: ToySpace(), strategy: Exhaustive())

    /// A sink that recalls, and a measurer that faults at the `index`th survivor.
    func faultingAt(_ index: Int) -> (ToyConfig, MemoryTrialSink<ToyProblem, ToyConfig>, FaultyMeasurer) {
        let faulty = ToySpace().prune(problem).survivors[index]
        let measurer = FaultyMeasurer()
        measurer.faults = [faulty]
        return (faulty, MemoryTrialSink(recalls: true), measurer)
    }

    @Test func aFaultStopsTheSearchAfterRecordingItsTrialAndARerunResumesPastIt() throws {
        let survivors = ToySpace().prune(problem).survivors
        let (faulty, sink, first) = faultingAt(3)
        do {
            _ = try search.run(for: problem, measurer: first, sink: sink)
            Issue.record("the search went on after a fault")
        } catch {
            guard case let .measurerUnusable(trial, reason) = error else { throw error }
            #expect(trial.config == faulty)
            #expect(reason == "toy illegal address")
            #expect("\(error)".contains("\(faulty) faulted"))
        }
        #expect(first.measured == Array(survivors.prefix(4)))
        #expect(sink.trials.map(\.config) == Array(survivors.prefix(4)))
        #expect(sink.trials.last?.status.kind == .launchError)

        // The rerun (a fresh process: a measurer that would fault again) recalls the four,
        // the faulted one as failed, and measures the rest.
        let second = FaultyMeasurer()
        second.faults = [faulty]
        let result = try search.run(for: problem, measurer: second, sink: sink)
        #expect(second.measured == Array(survivors.dropFirst(4)))
        #expect(result.recalled == 4)
        #expect(result.trials.count == survivors.count)
        #expect(result.trials.first { $0.config == faulty }?.status.kind == .launchError)
        #expect(result.best.config == ToyConfig(2, 3))
    }

    @Test func aFaultDuringTheProxyStageStopsTooAndIsRecalledOnTheRerun() throws {
        let survivors = ToySpace().prune(problem).survivors
        let (faulty, sink, first) = faultingAt(2)
        #expect(throws: SearchError<ToyConfig>.self) {
            _ = try search.run(for: problem, measurer: first, sink: sink, proxy: ProxyStage(keep: 3))
        }
        #expect(first.proxied == Array(survivors.prefix(3)))
        #expect(first.measured.isEmpty)
        let recorded = try #require(sink.trials.last)
        #expect(recorded.config == faulty)
        #expect(recorded.phase == .full)
        #expect(recorded.status.kind == .launchError)

        // The rerun proxies the others, never the faulted one, and times the best three.
        let second = FaultyMeasurer()
        second.faults = [faulty]
        let result = try search.run(for: problem, measurer: second, sink: sink, proxy: ProxyStage(keep: 3))
        #expect(!second.proxied.contains(faulty))
        #expect(!second.measured.contains(faulty))
        #expect(second.measured.count == 3)
        #expect(result.best.config == ToyConfig(2, 3))
    }
}
