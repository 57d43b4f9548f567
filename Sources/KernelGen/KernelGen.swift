// The KernelGen module; see ../shared/docs/architecture.md.
//
// Pure: given an `SpMMProblem` and an `SpMMConfig` it writes CUDA C source and the
// launch geometry, and decides nothing about speed. It never imports CUDA.
//
// Layout: `Common/` holds what every kernel shares (errors, device limits, launch dimensions,
// typed parameters, element code); `SpMM/` one folder per kernel family (`Simple/`, `Tiled/`,
// `XTile/`), each with its config (fields, id), legality rules, layout and renderer behind
// `SpMMFamilyConfig`. Which configs are worth running is the Tuner's business.

/// Namespace for the SpMM kernel generator.
package enum KernelGen {
    /// Version of the generated source. Bump it whenever the text a renderer emits
    /// changes for any (problem, config); kernel caches and the tuning database key on it.
    package static let generatorVersion = 4
}
