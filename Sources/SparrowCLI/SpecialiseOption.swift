import ArgumentParser
import Tuner

/// `--no-specialise` and `--no-reorder`, shared by `sparrow tune` and `sparrow bench spmm`: the one
/// definition of which GPU space they search.
struct SpecialiseOption: ParsableArguments {
    @Flag(name: .customLong("no-specialise"), help: ArgumentHelp(
        "GPU: leave the specialised family (the matrix's pattern compiled into the kernel, one NVRTC compile per matrix) out of the search."))
    var noSpecialise = false

    @Flag(name: .customLong("no-reorder"), help: ArgumentHelp(
        "GPU: search rows in their own order only (no length or locality row order as a knob, no locality retrial)."))
    var noReorder = false

    /// The GPU space to search.
    var space: SpMMSpace { SpMMSpace(specialise: !noSpecialise, reorder: !noReorder) }
}
