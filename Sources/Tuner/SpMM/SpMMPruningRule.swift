import KernelGen

/// A rule that removes legal configs from the GPU SpMM space because they are never better than
/// a kept one (the core's ``PruningRule`` over SpMM problems and configs).
package typealias SpMMPruningRule = PruningRule<SpMMProblem, SpMMConfig>
