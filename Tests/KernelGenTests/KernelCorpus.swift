import CUDA
import SparseFormats
import Tuner

@testable import KernelGen

/// Every kernel Sparrow generates for a set of representative problems, deduplicated, ready to
/// compile with NVRTC (see `KernelCorpus+Compile.swift` and `NVRTCCompileAllTests`).
///
/// Which kernels. Each representative shape is crossed with every element type and both device
/// presets (sm_80, sm_90); the configs of that problem's search space (the Tuner's `SpMMSpace`) are
/// rendered with ONE of the eight (epilogue, row ordering) combinations, chosen by a stable hash of
/// (config id, dtype, arch) modulo 8. `Coverage.configs` renders every (config, dtype, arch) once
/// (about 10,000 kernels, 11 minutes on two cores, 36 on a slower one); CI's `Coverage.standard`
/// renders an all-pairs cover of each family's (config, dtype, arch, combination) space: every
/// two knob values that occur together in a family's space occur together in some sampled kernel,
/// and every family for every (dtype, arch) pair (see ``sample(_:)``): 209 kernels. All eight
/// combinations (`Coverage.full`, `SPARROW_KERNEL_COVERAGE=full`) take up to eight times as long as
/// `Coverage.configs`.
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
        /// W pruned 2:4 (the 2:4 family's space is empty otherwise).
        var twoFour = false
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
        /// CI's bounded sample: an all-pairs cover of each family's knob values (but those
        /// ``sampledByItsFamily(_:)``), every family for every (dtype, arch) pair (``sample(_:)``),
        /// one combination each.
        case standard
        /// One combination per (config, dtype, arch), chosen by ``combinationIndex(_:_:_:)``.
        case configs
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
        // dlmc-m256's shape pruned 2:4: its other families' bodies are dlmc-m256's (deduplicated).
        Shape(name: "dlmc24-m256", n: 512, k: 4608, m: 256, nnz: 512 * 2304, maxRowLength: 2304, twoFour: true),
    ]

    static let elementTypes: [ElementType] = [.f32, .f16, .bf16]
    static let devices: [DeviceLimits] = [.sm80, .sm90]

    /// Every (epilogue, row ordering) combination, in a fixed order.
    static let combinations: [(Epilogue, RowOrdering)] = Epilogue.allCases.flatMap { epilogue in
        orderings.map { (epilogue, $0) }
    }

    /// The row orderings whose kernels differ: every non-identity order is read through the
    /// same `rowOrder` parameter, so the locality order's bodies are the by-length order's.
    static let orderings: [RowOrdering] = [.identity, .byLengthDescending]

    /// The standard and the per-config corpus of ``shapes``, each built once a test process (20-30 s
    /// apiece in a debug build, and several tests read them).
    static let standard = Result { try KernelCorpus(coverage: .standard) }
    static let perConfig = Result { try KernelCorpus(coverage: .configs) }

    /// Unique kernels in a stable order.
    var jobs: [Job] = []
    /// (problem, config, combination) renderings before deduplication.
    var renderedCount = 0

    /// `specialised`: add ``specialisedJobs()`` (the specialised family's fixed sample).
    init(coverage: Coverage = .standard, shapes: [Shape] = KernelCorpus.shapes, specialised: Bool = true) throws {
        let sampled = coverage == .standard ? try Self.sample(shapes) : nil
        var index: [String: Int] = [:]  // "arch|body" -> position in jobs
        for shape in shapes {
            for device in Self.devices {
                let architecture = device.computeCapability.major * 10 + device.computeCapability.minor
                for type in Self.elementTypes {
                    let base = try Self.problem(shape, type, .none, .identity, device)
                    for config in Self.space.configs(for: base)
                    where sampled?.contains(SamplePair(config: config, type: type, architecture: architecture)) ?? true {
                        for (epilogue, ordering) in Self.combinations(config, type, architecture, coverage) {
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
        if specialised { jobs += try Self.specialisedJobs() }
    }

    static func combinations(
        _ config: SpMMConfig, _ type: ElementType, _ architecture: Int, _ coverage: Coverage
    ) -> [(Epilogue, RowOrdering)] {
        let legal = legalCombinations(config)
        switch coverage {
        case .full: return legal
        case .standard, .configs: return [legal[combinationIndex(config, type, architecture) % legal.count]]
        }
    }

    struct SamplePair: Hashable {
        var config: SpMMConfig
        var type: ElementType
        var architecture: Int
    }

    /// CI's sample: an all-pairs cover of every family's space (but those ``sampledByItsFamily(_:)``)
    /// over (config, dtype, arch) with each one's combination: for every two knobs, every pair of
    /// values that occurs together somewhere in a family's space (each config id part `r16`,
    /// `c64`, `db1` ... is a knob and its value; dtype, architecture, epilogue and row ordering are
    /// knobs too) occurs together in some sampled kernel (``PairwiseCover``); then, for any
    /// (dtype, arch) pair that got no config of a family it holds, that family's first config
    /// there. So every value of every knob meets every value of every other knob, every family is
    /// compiled for every pair, and a family's sample grows with the product of its two largest
    /// knob ranges rather than with its space. (The NVRTC check is the long pole of CI's time:
    /// compiling every config once, 2,246 kernels, took 503 s of the test command's 1,195 s of
    /// tests on a 2-core AMD EPYC VM; every config of every space still compiles on the GPU
    /// machine, where `sparrow selftest` runs each, and under `SPARROW_KERNEL_COVERAGE=configs`.)
    static func sample(_ shapes: [Shape]) throws -> Set<SamplePair> {
        var pairs: [SpMMConfig: [SamplePair]] = [:]
        var order: [SpMMConfig] = []
        for device in devices {
            let architecture = device.computeCapability.major * 10 + device.computeCapability.minor
            for type in elementTypes {
                var seen = Set<SpMMConfig>()
                for shape in shapes {
                    for config in space.configs(for: try problem(shape, type, .none, .identity, device)) where seen.insert(config).inserted {
                        if pairs[config] == nil { order.append(config) }
                        pairs[config, default: []].append(SamplePair(config: config, type: type, architecture: architecture))
                    }
                }
            }
        }
        var kept = Set<SamplePair>()
        let covered = order.filter { !sampledByItsFamily($0) }
        for family in SpMMConfig.Family.allCases {
            let candidates = covered.filter { $0.family == family }.flatMap { pairs[$0] ?? [] }
            kept.formUnion(PairwiseCover.cover(candidates, key: { "\($0.config)/\($0.type.rawValue)/\($0.architecture)" }, knobs: knobs))
        }
        struct FamilyInPair: Hashable { var family: SpMMConfig.Family, type: ElementType, architecture: Int }
        var present = Set(kept.map { FamilyInPair(family: $0.config.family, type: $0.type, architecture: $0.architecture) })
        for config in order {
            for pair in pairs[config] ?? [] {
                let slot = FamilyInPair(family: config.family, type: pair.type, architecture: pair.architecture)
                if present.insert(slot).inserted { kept.insert(pair) }
            }
        }
        return kept
    }

    /// The knobs of a kernel as `name=value` strings: its config id's (``PairwiseCover/knobs(ofID:)``;
    /// the cover runs per family, so the family's name is not needed), its dtype, architecture,
    /// epilogue and row ordering.
    static func knobs(
        _ config: SpMMConfig, _ type: ElementType, _ architecture: Int, _ epilogue: Epilogue, _ ordering: RowOrdering
    ) -> [String] {
        PairwiseCover.knobs(ofID: config.description)
            + ["dtype=\(type.rawValue)", "arch=\(architecture)", "epilogue=\(epilogue.rawValue)", "order=\(ordering.rawValue)"]
    }

    /// A sample candidate's knobs, with the combination ``combinations(_:_:_:_:)`` gives it.
    static func knobs(_ pair: SamplePair) -> [String] {
        let (epilogue, ordering) = combinations(pair.config, pair.type, pair.architecture, .standard)[0]
        return knobs(pair.config, pair.type, pair.architecture, epilogue, ordering)
    }

    /// Configs the standard sample leaves to their family's own NVRTC sample (`StripSliceSample.swift`:
    /// every column tile, chunk, staging mode, K split, dtype and architecture): the strip/slice
    /// families, bitmap, 2:4 and fragment-COO, one kernel body with each family's unit of W. With K splits they were
    /// 1,257 of 3,467 kernels, about 270 s of the test command on 2 cores (a fresh-clone `.ci/run`
    /// at adbe282, which still compiled the bitmap family's unsplit configs: 878 s of tests). The
    /// family-for-every-pair pass still compiles one of each.
    static func sampledByItsFamily(_ config: SpMMConfig) -> Bool {
        config.family == .twoFour || config.family == .bitmap || config.family == .fragmentCOO
    }

    /// FNV-1a of `text`'s UTF-8 (the kernel cache's stable hash): the same in every process, unlike `Hasher`.
    static func fnv1a(_ text: String) -> UInt64 { StableHasher.fnv1a64(text.utf8) }

    /// The combinations `config`'s family accepts: the compact and strip/slice kernels take rows in order only.
    static func legalCombinations(_ config: SpMMConfig) -> [(Epilogue, RowOrdering)] {
        config.family == .compact || sampledByItsFamily(config) ? combinations.filter { $0.1 == .identity } : combinations
    }

    /// FNV-1a of `config/dtype/arch` modulo the number of combinations: stable across runs and
    /// platforms (Swift's `Hasher` is seeded per process), the same for a config in every shape
    /// whose space holds it, so those renderings deduplicate.
    static func combinationIndex(_ config: SpMMConfig, _ type: ElementType, _ architecture: Int) -> Int {
        Int(fnv1a("\(config)/\(type.rawValue)/\(architecture)") % UInt64(combinations.count))
    }

    static func problem(
        _ shape: Shape, _ type: ElementType, _ epilogue: Epilogue, _ ordering: RowOrdering, _ device: DeviceLimits
    ) throws -> SpMMProblem {
        try SpMMProblem(
            n: shape.n, k: shape.k, m: shape.m, nnz: shape.nnz, patternDigest: 0x5ba7_7011_d1c0_0001,
            maxRowLength: shape.maxRowLength, elementType: type, epilogue: epilogue, rowOrdering: ordering,
            twoFour: shape.twoFour, device: device)
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
