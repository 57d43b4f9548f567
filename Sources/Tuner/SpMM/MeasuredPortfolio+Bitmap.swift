import KernelGen

extension MeasuredPortfolio {
    /// The bitmap family's measured winners (H200, 2026-11-30, llm suite fp16 cold, 4096x4096 and
    /// 4096x11008 at 0.5 / 0.7 / 0.9; docs/perf/2026-11-30-h200-llm-bitmap): per column tile, the
    /// config fastest on all six problems of its width among the hand ranking's 8 and 10 named
    /// designs (n = 1: `s1.j8.n8.c8.p2`; n = 16: `s2.j8.n16.c4.p3`; n = 64: `s2.j4.n64.c4.p3`),
    /// and at n = 512 the fastest of four (`s4.j2.n64.c4.p3`, 4096x4096 at 0.7).
    package static let bitmap: [BitmapConfig] = [
        BitmapConfig(strips: 1, slices: 8, columns: 8, chunk: 8, stages: 2),
        BitmapConfig(strips: 2, slices: 8, columns: 16, chunk: 4, stages: 3),
        BitmapConfig(strips: 2, slices: 4, columns: 64, chunk: 4, stages: 3),
        BitmapConfig(strips: 4, slices: 2, columns: 64, chunk: 4, stages: 3),
    ]

    /// The 2:4 family's measured winners (H200, llm suite pruned 2:4, fp16 cold, the four shapes):
    /// every config that was fastest on at least one problem, most problems first, at n = 1, 8,
    /// 16, 64 (2026-12-01, docs/perf/2026-12-01-h200-session13-sp24, call 3), then those that won
    /// a problem at n = 1, 8 or 16 in calls 2 and 3 of docs/perf/2026-12-02-h200-session15-sp24
    /// (2026-12-02; call 3 with the ring's barrier spanning only the warps that share a slot).
    package static let twoFour: [TwoFourConfig] = [
        TwoFourConfig(strips: 1, slices: 16, columns: 8, chunk: 4, stages: 2),
        TwoFourConfig(strips: 8, slices: 2, columns: 8, chunk: 4, stages: 4),
        TwoFourConfig(strips: 2, slices: 8, columns: 16, chunk: 4, stages: 3),
        TwoFourConfig(strips: 4, slices: 2, columns: 16, chunk: 4, stages: 4),
        TwoFourConfig(strips: 8, slices: 2, columns: 64, chunk: 4, stages: 3),
        TwoFourConfig(strips: 2, slices: 8, columns: 8, chunk: 4, stages: 3),
        TwoFourConfig(strips: 2, slices: 4, columns: 8, chunk: 8, stages: 3),
        TwoFourConfig(strips: 8, slices: 2, columns: 16, chunk: 4, stages: 4),
        TwoFourConfig(strips: 4, slices: 4, columns: 8, chunk: 4, stages: 2),
        TwoFourConfig(strips: 1, slices: 8, columns: 8, chunk: 4, stages: 3),
        TwoFourConfig(strips: 8, slices: 4, columns: 16, chunk: 4, stages: 2),
    ]

    /// The fragment-COO family's measured winners (H200, llm suite unstructured fp16 cold): first those
    /// fastest on a problem with two fragments a warp and chunks up to 16 (2026-12-02, the four shapes at
    /// 0.9, n = 8 and 16; docs/perf/2026-12-02-h200-session17-fcoo, calls 1 and 2), then session 16's
    /// (the four shapes at 0.7 and 0.9, n = 8 and 16, slots sized by the fullest block;
    /// docs/perf/2026-12-02-h200-session16-fcoo, call 2), each list most problems first.
    package static let fragmentCOO: [FragmentCOOConfig] = [
        FragmentCOOConfig(strips: 2, slices: 8, columns: 16, chunk: 16, stages: 2),
        FragmentCOOConfig(strips: 2, slices: 8, columns: 8, chunk: 16, stages: 3),
        FragmentCOOConfig(strips: 2, slices: 8, columns: 8, chunk: 16, stages: 2),
        FragmentCOOConfig(strips: 4, slices: 8, columns: 8, chunk: 8, stages: 3),
        FragmentCOOConfig(strips: 8, slices: 4, columns: 16, chunk: 8, stages: 3),
        FragmentCOOConfig(strips: 4, slices: 4, columns: 16, chunk: 16, stages: 2),
        FragmentCOOConfig(strips: 1, slices: 16, columns: 8, chunk: 4, stages: 2),
        FragmentCOOConfig(strips: 4, slices: 2, columns: 16, chunk: 8, stages: 4),
        FragmentCOOConfig(strips: 2, slices: 8, columns: 8, chunk: 8, stages: 4),
        FragmentCOOConfig(strips: 2, slices: 8, columns: 16, chunk: 4, stages: 6),
        FragmentCOOConfig(strips: 2, slices: 8, columns: 16, chunk: 8, stages: 2),
        FragmentCOOConfig(strips: 2, slices: 8, columns: 16, chunk: 4, stages: 3),
        FragmentCOOConfig(strips: 4, slices: 2, columns: 16, chunk: 8, stages: 4, splits: 4),
        FragmentCOOConfig(strips: 4, slices: 2, columns: 16, chunk: 8, stages: 2, splits: 4),
        FragmentCOOConfig(strips: 4, slices: 2, columns: 16, chunk: 8, stages: 2),
    ]

    /// The measured winners of `family` (bitmap, 2:4, fragment-COO; none for the others) among `survivors` (the
    /// problem's pruned space), in their order.
    package static func familyConfigs(_ family: SpMMConfig.Family, among survivors: [SpMMConfig]) -> [SpMMConfig] {
        let list: [SpMMConfig] = switch family {
        case .bitmap: bitmap.map { .bitmap($0) }
        case .twoFour: twoFour.map { .twoFour($0) }
        case .fragmentCOO: fragmentCOO.map { .fragmentCOO($0) }
        default: []
        }
        return list.filter { survivors.contains($0) }
    }
}
