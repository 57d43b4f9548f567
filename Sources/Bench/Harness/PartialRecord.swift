import Foundation

/// A problem's identity across runs, for `--resume`: suite, problem name, n, dtype and device.
package struct ProblemKey: Hashable, Codable, Sendable, CustomStringConvertible {
    package var suite: String
    package var name: String
    package var n: Int
    package var dtype: String
    /// `cpu`, or the GPU's name.
    package var device: String

    package init(suite: String, name: String, n: Int, dtype: String, device: String) {
        self.suite = suite
        self.name = name
        self.n = n
        self.dtype = dtype
        self.device = device
    }

    package var description: String { "\(suite) \(name) n=\(n) \(dtype) on \(device)" }
}

/// One line of a partial results file: a finished problem and the device it ran on.
package struct PartialRecord: Codable, Sendable {
    /// `cpu`, or the GPU's name (see ``ProblemKey/device``).
    package var device: String
    package var problem: ProblemResult

    package init(device: String, problem: ProblemResult) {
        self.device = device
        self.problem = problem
    }

    package var key: ProblemKey {
        ProblemKey(suite: problem.suite, name: problem.name, n: problem.m, dtype: problem.dtype, device: device)
    }
}
