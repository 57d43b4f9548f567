/// Tuning one problem: prune the space, let the strategy choose a shortlist, add the user's
/// extras, measure in order, record every trial, keep the fastest correct one.
///
/// The search knows nothing of kernels or devices: the space, the strategy, the measurer and
/// the sink are the only places that do.
package struct Search<Space: TuningSpace>: Sendable {
    /// The space searched.
    package var space: Space
    /// Chooses what to measure, in order.
    package var strategy: any SearchStrategy<Space.Problem, Space.Config>
    /// Configs the user names beside the strategy (for study); measured after the shortlist when
    /// legal, reported in ``SearchSchedule/rejected`` when not.
    package var extras: [Space.Config]
    /// Limits on measuring the shortlist.
    package var budget: SearchBudget
    /// The most trials measured past the shortlist (and past the budget) while no trial is
    /// correct, before the search gives up.
    package var fallbackLimit: Int
    /// The clock for the budget and the timing.
    package var clock: SearchClock

    /// A search of `space` with `strategy`.
    package init(
        space: Space, strategy: some SearchStrategy<Space.Problem, Space.Config>, extras: [Space.Config] = [],
        budget: SearchBudget = .unlimited, fallbackLimit: Int = 16, clock: SearchClock = .continuous
    ) {
        self.space = space
        self.strategy = strategy
        self.extras = extras
        self.budget = budget
        self.fallbackLimit = fallbackLimit
        self.clock = clock
    }

    /// What ``run(for:measurer:sink:)`` would measure for `problem`, without measuring.
    package func schedule(for problem: Space.Problem) -> SearchSchedule<Space.Config> {
        let pruneStart = clock.now()
        let prune = space.prune(problem)
        let planStart = clock.now()
        let survivors = Set(prune.survivors)
        let space = self.space
        let candidates = SearchCandidates(problem: problem, survivors: prune.survivors) {
            space.legalityError($0, for: problem)
        }
        let plan = strategy.plan(candidates)
        var rejected: [Rejection<Space.Config>] = []
        var listed = Set<Space.Config>()
        // Survivors are legal by construction; anything else a strategy or the user names is
        // checked, so no illegal config reaches the measurer.
        func admit(_ configs: [Space.Config], origin: TrialOrigin) -> [Space.Config] {
            configs.filter { config in
                guard !listed.contains(config) else { return false }
                if !survivors.contains(config), let error = space.legalityError(config, for: problem) {
                    rejected.append(Rejection(config: config, origin: origin, error: error))
                    return false
                }
                listed.insert(config)
                return true
            }
        }
        let shortlist = admit(plan.shortlist, origin: .shortlist)
        let extras = admit(self.extras, origin: .extra)
        let fallback = admit(plan.fallback + prune.survivors, origin: .fallback)
        return SearchSchedule(
            prune: prune, strategy: strategy.name, shortlist: shortlist, extras: extras, fallback: fallback,
            rejected: rejected, pruneSeconds: planStart - pruneStart, planSeconds: clock.now() - planStart)
    }
}
