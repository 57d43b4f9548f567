import ArgumentParser
import Tuner

/// `--no-specialise`, shared by `sparrow tune` and `sparrow bench spmm`: the one definition of
/// which GPU space they search.
struct SpecialiseOption: ParsableArguments {
    @Flag(name: .customLong("no-specialise"), help: ArgumentHelp(
        "GPU: leave the specialised family (the matrix's pattern compiled into the kernel, one NVRTC compile per matrix) out of the search."))
    var noSpecialise = false

    /// The GPU space to search.
    var space: SpMMSpace { SpMMSpace(specialise: !noSpecialise) }
}
