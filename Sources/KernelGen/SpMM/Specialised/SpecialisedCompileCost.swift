/// What compiling a specialised kernel costs, as measured: the reason for the size limits
/// (``SpecialisedConfig/maxNonzeros``, ``SpecialisedConfig/maxWrittenFMAs``).
///
/// NVRTC 13 for sm_90 on the 2-core development machine (shared with other builds), DLMC-like
/// 256 x 1024 patterns at m = 256, four rows per block, one function per row group
/// (`SpecialisedCompileTests.measureCompileCost`, SPARROW_MEASURE_SPECIALISED=1, 2026-11-30):
///
/// | nnz | values | v | seconds | cubin bytes |
/// | --- | --- | --- | --- | --- |
/// | 971 | constants | 1 | 0.46 | 72,508 |
/// | 4,109 | constants | 1 | 1.85 | 170,940 |
/// | 4,109 | array | 1 | 2.94 | 237,764 |
/// | 16,282 | constants | 1 | 13.87 | 538,812 |
/// | 16,282 | array | 1 | 20.73 | 799,684 |
/// | 4,109 | constants | 4 | 4.35 | 369,980 |
/// | 4,109 | array | 4 | 8.28 | 440,260 |
///
/// With all groups in one kernel body (before the split into functions) 16,282 nonzeros took
/// 64 s. The H200 machine's figures are in docs/perf/2026-11-30-h200-specialise/.
enum SpecialisedCompileCost {
    /// NVRTC seconds per nonzero at the limit (v1, values as constants; 16,282 nonzeros).
    static let secondsPerNonzero = 13.87 / 16_282
    /// Cubin bytes per nonzero at the limit (v1, values as constants).
    static let cubinBytesPerNonzero = 538_812.0 / 16_282

    /// One line for messages.
    static var summary: String {
        "about \(String(format1: secondsPerNonzero * 1e3)) ms of NVRTC time and \(Int(cubinBytesPerNonzero.rounded())) "
            + "cubin bytes per nonzero at the limit, measured"
    }
}

extension String {
    /// `value` with one decimal, without Foundation (KernelGen imports only SparseFormats).
    init(format1 value: Double) {
        let tenths = Int((value * 10).rounded())
        self = "\(tenths / 10).\(abs(tenths % 10))"
    }
}
