import SparseFormats

@testable import KernelGen

/// Every kernel Sparrow generates for a set of representative problems, deduplicated, ready to
/// compile with NVRTC (see `KernelCorpus+Compile.swift` and `NVRTCCompileAllTests`).
///
/// Which kernels. Each representative shape is crossed with every element type and both device
/// presets (sm_80, sm_90); every config of that problem's `KernelGen.configSpace` is rendered
/// with these (epilogue, row ordering) combinations:
/// - `(none, identity)`, the plain kernel, always;
/// - `(biasReLU, byLengthDescending)`, the heaviest (its code is a superset of every other
///   combination's: bias load, ReLU select, `rowOrder` load), always;
/// - one of the six other combinations, rotating with the config's index in its space
///   (`index % 6`), so each of them is compiled for a sixth of every space, every dtype and arch.
/// `Coverage.full` renders all eight combinations instead (about 2.7 times as many compiles);
/// `SPARROW_KERNEL_COVERAGE=full` selects it.
///
/// Deduplication. Bodies (the source after its header comment, which names the problem) are
/// identical when (config, dtype, epilogue, ordering) are, whatever n, k, m or nnz; each
/// (body, arch) is compiled once and remembers every problem that produced it.
struct KernelCorpus {
    /// A representative problem shape; the epilogue and ordering come from the combinations.
    struct Shape: Sendable {
        var name: String
        var n: Int
        var k: Int
        var m: Int
        var nnz: Int
        var maxRowLength: Int
    }

    /// One unique kernel to compile.
    struct Job: Sendable {
        var config: SpMMConfig
        var elementType: ElementType
        var epilogue: Epilogue
        var rowOrdering: RowOrdering
        /// Compute capability as one number (80, 90).
        var architecture: Int
        var entryPoint: String
        /// The full source of the first problem that produced this body (its header reproduces it).
        var source: String
        /// Every `shape/dtype` whose space produced this body for this architecture.
        var problems: [String]

        /// `sm_90 f16 r4.t8.c64.v4.k32.db1 bias_relu/by_length_desc`: the config id and what varies.
        var label: String {
            "sm_\(architecture) \(elementType.rawValue) \(config) \(epilogue.rawValue)/\(rowOrdering.rawValue)"
        }
    }

    enum Coverage: String, Sendable {
        /// Plain and heaviest combinations for every config, plus one rotating other combination.
        case standard
        /// All eight combinations for every config.
        case full
    }

    /// DLMC-like (512 x 4608 at 90% sparsity, binomial row lengths of mean 461 and at most about
    /// 530) at M = 256, 1, 3 (odd), 2048; no nonzeros; one row at M = 100 (not a multiple of 8,
    /// so 16-bit types get 2- and 4-wide vectors too).
    static let shapes = [
        Shape(name: "dlmc-m256", n: 512, k: 4608, m: 256, nnz: 235_930, maxRowLength: 530),
        Shape(name: "dlmc-m1", n: 512, k: 4608, m: 1, nnz: 235_930, maxRowLength: 530),
        Shape(name: "dlmc-m3", n: 512, k: 4608, m: 3, nnz: 235_930, maxRowLength: 530),
        Shape(name: "dlmc-m2048", n: 512, k: 4608, m: 2048, nnz: 235_930, maxRowLength: 530),
        Shape(name: "empty-m256", n: 512, k: 4608, m: 256, nnz: 0, maxRowLength: 0),
        Shape(name: "one-row-m100", n: 1, k: 4608, m: 100, nnz: 461, maxRowLength: 461),
    ]

    static let elementTypes: [ElementType] = [.f32, .f16, .bf16]
    static let devices: [DeviceLimits] = [.sm80, .sm90]
    static let plain = (Epilogue.none, RowOrdering.identity)
    static let heaviest = (Epilogue.biasReLU, RowOrdering.byLengthDescending)

    /// The combinations other than plain and heaviest, in a fixed order.
    static let others: [(Epilogue, RowOrdering)] = Epilogue.allCases.flatMap { epilogue in
        RowOrdering.allCases.map { (epilogue, $0) }
    }.filter { !($0 == plain) && !($0 == heaviest) }

    /// Unique kernels in a stable order.
    var jobs: [Job] = []
    /// (problem, config, combination) renderings before deduplication.
    var renderedCount = 0

    init(coverage: Coverage = .standard, shapes: [Shape] = KernelCorpus.shapes) throws {
        var index: [String: Int] = [:]  // "arch|body" -> position in jobs
        for shape in shapes {
            for device in Self.devices {
                let architecture = device.computeCapability.major * 10 + device.computeCapability.minor
                for type in Self.elementTypes {
                    let base = try Self.problem(shape, type, .none, .identity, device)
                    for (position, config) in KernelGen.configSpace(for: base).enumerated() {
                        for (epilogue, ordering) in Self.combinations(position: position, coverage: coverage) {
                            let problem = try Self.problem(shape, type, epilogue, ordering, device)
                            let kernel = try KernelGen.render(problem, config)
                            renderedCount += 1
                            let key = "\(architecture)|" + Self.body(of: kernel.source)
                            let origin = "\(shape.name)/\(type.rawValue)"
                            if let existing = index[key] {
                                if !jobs[existing].problems.contains(origin) { jobs[existing].problems.append(origin) }
                                continue
                            }
                            index[key] = jobs.count
                            jobs.append(Job(
                                config: config, elementType: type, epilogue: epilogue, rowOrdering: ordering,
                                architecture: architecture, entryPoint: kernel.entryPoint, source: kernel.source,
                                problems: [origin]))
                        }
                    }
                }
            }
        }
    }

    static func combinations(position: Int, coverage: Coverage) -> [(Epilogue, RowOrdering)] {
        switch coverage {
        case .full: [plain, heaviest] + others
        case .standard: [plain, heaviest, others[position % others.count]]
        }
    }

    static func problem(
        _ shape: Shape, _ type: ElementType, _ epilogue: Epilogue, _ ordering: RowOrdering, _ device: DeviceLimits
    ) throws -> SpMMProblem {
        try SpMMProblem(
            n: shape.n, k: shape.k, m: shape.m, nnz: shape.nnz, patternDigest: 0x5ba7_7011_d1c0_0001,
            maxRowLength: shape.maxRowLength, elementType: type, epilogue: epilogue, rowOrdering: ordering,
            device: device)
    }

    /// The source without its leading `//` header lines (and the blank line after them): the part
    /// that does not depend on n, k, m, nnz, the pattern or the launch geometry.
    static func body(of source: String) -> Substring {
        var rest = Substring(source)
        while rest.hasPrefix("//"), let newline = rest.firstIndex(of: "\n") {
            rest = rest[rest.index(after: newline)...]
        }
        return rest.drop { $0 == "\n" }
    }
}
