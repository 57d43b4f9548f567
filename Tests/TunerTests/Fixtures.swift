import Foundation
import KernelGen
import SparseFormats
import Testing

@testable import Tuner

/// A valid problem with defaults that tests override one field at a time.
func makeProblem(
    n: Int = 2048, k: Int = 512, m: Int = 256, nnz: Int = 104_858, maxRowLength: Int = 80,
    type: ElementType = .f32, epilogue: Epilogue = .none, ordering: RowOrdering = .identity,
    device: DeviceLimits = .sm90, digest: UInt64 = 0x9f2c_41e0_0bad_cafe
) throws -> SpMMProblem {
    try SpMMProblem(
        n: n, k: k, m: m, nnz: nnz, patternDigest: digest, maxRowLength: maxRowLength, elementType: type,
        epilogue: epilogue, rowOrdering: ordering, device: device)
}

/// The ConfigError `body` throws, or nil; any other error is a test failure.
func configError(_ body: () throws -> Void) -> ConfigError? {
    do {
        try body()
        return nil
    } catch let error as ConfigError {
        return error
    } catch {
        Issue.record("unexpected error \(error)")
        return nil
    }
}

/// One problem of `Fixtures/choices-3aabf91.jsonl`: what KernelGen's `configSpace`,
/// `rankedConfigs(limit: 16)` and Runtime's `SweepPlan` returned for it at commit 3aabf91, before
/// choosing moved into the Tuner.
struct RecordedChoices: Codable, Sendable, CustomStringConvertible {
    var name: String
    var n, k, m, nnz, maxRowLength: Int
    var type: String
    var device: String
    var epilogue: String
    var ordering: String
    var space: [String]
    var ranked16: [String]
    var sweep16: [String]
    var sweepAll: [String]?

    var description: String { "\(name) \(type) \(device)" }

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The space as recorded at 3aabf91: its families (CSR) in their own row order (the row-order
    /// knob came later: RowOrderSpaceTests), today's rules with `widest-vector-only` as it was then
    /// (the widest vector only, before 2-byte split and wide configs kept 4-element vectors,
    /// which `SpaceTests.splitConfigsKeepF32ColumnTilesAtTwoBytes` checks).
    static let space = SpMMSpace(rules: SpMMPruningRule.standard.map { rule in
        guard rule.name == SpMMPruningRule.widestVectorOnly.name else { return rule }
        return SpMMPruningRule(rule.name, reason: rule.reason, provenance: rule.provenance) { config, problem in
            switch config {
            case let .tiled(tiled): (tiled.rowSplit > 1 || tiled.threadsPerBlock >= 512) && tiled.vectorWidth != problem.widestVector
            case let .xTile(xTile): xTile.vectorWidth != problem.widestVector
            case .simple, .compact, .specialised, .bitmap, .twoFour, .fragmentCOO: false
            }
        }
    }, families: SpMMSpace.csrFamilies, rowOrders: [.identity])

    static func all() throws -> [RecordedChoices] {
        let text = try String(contentsOf: folder.appendingPathComponent("choices-3aabf91.jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map { try JSONDecoder().decode(RecordedChoices.self, from: Data($0.utf8)) }
    }

    /// The device presets the fixtures name (`sm70` is sm_80's limits at compute capability 7.0).
    static func device(_ name: String) -> DeviceLimits {
        switch name {
        case "sm80": return .sm80
        case "sm90": return .sm90
        default:
            var volta = DeviceLimits.sm80
            volta.computeCapability = ComputeCapability(major: 7, minor: 0)
            return volta
        }
    }

    func problem() throws -> SpMMProblem {
        try SpMMProblem(
            n: n, k: k, m: m, nnz: nnz, patternDigest: 0x5ba7_7011_d1c0_0001, maxRowLength: maxRowLength,
            elementType: try #require(ElementType(rawValue: type)), epilogue: try #require(Epilogue(rawValue: epilogue)),
            rowOrdering: try #require(RowOrdering(rawValue: ordering)), device: Self.device(device))
    }
}
