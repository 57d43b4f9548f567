import SparseFormats
import Tuner

@testable import KernelGen

extension KernelCorpus {
    /// The space the corpus renders from its shapes: every family except the specialised one,
    /// whose source is written from a matrix (the shapes are statistics only) and whose size the
    /// per-config sample could not bound; it gets ``specialisedJobs()`` instead.
    /// The row-order knob's twins are left out too: a twin renders the body of its identity config
    /// under the problem's row ordering (RowOrderKnobTests), which the combinations already cover,
    /// so CI compiles nothing more for the knob.
    static let space = SpMMSpace(specialise: false, reorder: false)

    /// The specialised family's bounded, representative sample: each of ``specialisedConfigs``
    /// once, rendered from one of the seeded awkward matrices (`SpecialisedFixtures.awkward()`,
    /// at most 6,400 entries) plus one DLMC-like 256 x 1024 layer at 98% sparsity (about 5,200
    /// entries) for half of the v1 configs, one (dtype, architecture, epilogue) each, rotating.
    /// Compile time stays bounded because the list is fixed whatever the space holds: 10 kernels
    /// of at most about 5,300 nonzeros and 26,000 written multiply-adds each, about 2-5 s each on
    /// the 2-core machine (``SpecialisedCompileCost``), under a minute in all.
    static func specialisedJobs() throws -> [Job] {
        let shapes = try SpecialisedFixtures.awkward()
        let layer = try SpecialisedFixtures.matrix(256, 1024, density: 0.02, seed: "corpus/dlmc-like")
        var jobs: [Job] = []
        for (index, config) in specialisedConfigs.enumerated() {
            let type = elementTypes[index % elementTypes.count]
            let device = devices[(index / elementTypes.count) % devices.count]
            let architecture = device.computeCapability.major * 10 + device.computeCapability.minor
            let epilogue = Epilogue.allCases[index % Epilogue.allCases.count]
            let (name, w, m) = config.vectorWidth == 1 && index % 2 == 0
                ? ("dlmc-like 256x1024", layer, 256) : (shapes[index % shapes.count].name, shapes[index % shapes.count].w, 64)
            let problem = try SpMMProblem(
                pattern: w, m: m, patternDigest: w.patternDigest.value, elementType: type, epilogue: epilogue, device: device)
            let kernel = try KernelGen.render(problem, .specialised(config), pattern: w)
            jobs.append(Job(
                config: .specialised(config), elementType: type, epilogue: epilogue, rowOrdering: .identity,
                architecture: architecture, entryPoint: kernel.entryPoint, source: kernel.source,
                problems: ["specialised \(name)/\(type.rawValue)"]))
        }
        return jobs
    }

    /// Every value of every specialised knob at least once (vector widths legal at m = 64 for
    /// every dtype except 8, which needs a 16-bit type: it falls on f16).
    static let specialisedConfigs: [SpecialisedConfig] = [
        SpecialisedConfig(rowsPerBlock: 1, threads: 32, vectorWidth: 1, values: .constant, localityOrder: false),
        SpecialisedConfig(rowsPerBlock: 2, threads: 64, vectorWidth: 2, values: .array, localityOrder: true),
        SpecialisedConfig(rowsPerBlock: 4, threads: 128, vectorWidth: 1, values: .array, localityOrder: true),
        SpecialisedConfig(rowsPerBlock: 8, threads: 256, vectorWidth: 4, values: .constant, localityOrder: false),
        SpecialisedConfig(rowsPerBlock: 16, threads: 32, vectorWidth: 8, values: .constant, localityOrder: true),
        SpecialisedConfig(rowsPerBlock: 4, threads: 64, vectorWidth: 4, values: .array, localityOrder: false),
        SpecialisedConfig(rowsPerBlock: 16, threads: 64, vectorWidth: 1, values: .constant, localityOrder: true),
        SpecialisedConfig(rowsPerBlock: 1, threads: 128, vectorWidth: 2, values: .constant, localityOrder: false),
        SpecialisedConfig(rowsPerBlock: 8, threads: 32, vectorWidth: 1, values: .array, localityOrder: false),
        SpecialisedConfig(rowsPerBlock: 2, threads: 256, vectorWidth: 4, values: .array, localityOrder: true),
    ]
}
