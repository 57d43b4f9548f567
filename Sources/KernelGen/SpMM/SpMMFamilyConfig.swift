import SparseFormats

/// What every SpMM kernel family's config provides: its id, its legality rules and launch layout,
/// and its renderer. ``SpMMConfig`` holds one family config and dispatches through this protocol,
/// so a new family is a folder with a type conforming to it plus one case of ``SpMMConfig``.
package protocol SpMMFamilyConfig: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Reads the family's ``description`` (its id) back.
    init(parsing text: String) throws(ConfigError)

    /// Threads per block.
    var threadsPerBlock: Int { get }
    /// The block shape the kernel is written for.
    var blockDimensions: LaunchDimensions { get }
    /// The grid that covers `problem`.
    func gridDimensions(for problem: SpMMProblem) -> LaunchDimensions
    /// Dynamic shared memory per block, in bytes.
    func sharedMemoryBytes(for problem: SpMMProblem) -> Int
    /// Oldest architecture the rendered source compiles for.
    var minimumComputeCapability: ComputeCapability { get }
    /// The row-order knob (``SparseFormats/RowOrdering``): the order the kernel takes W's rows in,
    /// from a permutation bound as its `rowOrder` operand. Families without the knob: identity
    /// (the specialised family writes its own order into the source instead).
    var rowOrder: RowOrdering { get }

    /// Checks every rule that makes this config unable to run `problem` on `problem.device`,
    /// throwing the first one broken.
    func validate(for problem: SpMMProblem) throws(ConfigError)

    /// The kernel's parameters in declaration order (default: the CSR operands, ``KernelGen/parameters(for:)``).
    func parameters(for problem: SpMMProblem) -> [KernelParameter]

    /// The kernel's source after the header comment, for a config that validated for `problem`.
    func renderBody(_ problem: SpMMProblem, entryPoint: String) -> String

    /// The kernel's source after the header comment, given W itself (`pattern`, nil when the
    /// caller has only the problem); a family whose source depends on W (specialised) throws
    /// without it. Default: ``renderBody(_:entryPoint:)``.
    func renderBody(_ problem: SpMMProblem, entryPoint: String, pattern: CSRMatrix<Float>?) throws(ConfigError) -> String
}

extension SpMMFamilyConfig {
    /// No row-order knob: rows in their own order, or the problem's.
    package var rowOrder: RowOrdering { .identity }

    /// The source does not depend on W: the pattern is not read.
    package func renderBody(_ problem: SpMMProblem, entryPoint: String, pattern: CSRMatrix<Float>?) throws(ConfigError) -> String {
        renderBody(problem, entryPoint: entryPoint)
    }

    /// The CSR families' parameters.
    package func parameters(for problem: SpMMProblem) -> [KernelParameter] { KernelGen.parameters(for: problem) }
}
