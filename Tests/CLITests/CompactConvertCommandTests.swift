import Foundation
import SparseFormats
import SparseIO
import Testing

/// `sparrow convert --format csr16|delta|bitmap|2:4|fcoo` to `.spc`, `sparrow info` on the result, and
/// the errors for a compact format without `.spc` (and the reverse), and for a matrix that is not 2:4.
@Suite("sparrow convert to compact formats")
struct CompactConvertCommandTests {
    let folder: URL

    init() throws { folder = try cliScratch("compact-convert") }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    @Test func eachCompactFormatWritesReadsBackAndReportsBytesPerWeight() throws {
        let w = seededMatrix(13, 70, seed: 5, zeros: 0.8)
        try SparseFile.write(.dense(AnyDenseTensor(w)), to: path("w.npy"))
        let csr = try CSRMatrix(w)
        for (layout, format) in [("csr16", "csr16"), ("delta", "delta4"), ("bitmap", "bitmap8x8"), ("fcoo", "fcoo16")] {
            let output = try sparrowOutput(["convert", path("w.npy"), path("w-\(layout).spc"), "--format", layout])
            let contents = try CompactFile.read(path("w-\(layout).spc"))
            #expect(output.contains("\(format) f32 13 x 70, \(csr.nnz) nonzeros, \(contents.storageBytes) bytes"))
            #expect(output.contains("B per weight"))
            #expect(contents.csr == AnySparseMatrix(csr))
            let info = try sparrowOutput(["info", path("w-\(layout).spc")])
            #expect(info.contains(format) && info.contains("\(contents.storageBytes) B,"))
            // Back to a scipy .npz: the same matrix.
            _ = try sparrowOutput(["convert", path("w-\(layout).spc"), path("back-\(layout).npz")])
            #expect(try SparseFile.read(path("back-\(layout).npz")) == .sparse(AnySparseMatrix(csr)))
        }
        let csrInfo = try sparrowOutput(["info", path("back-csr16.npz")])
        #expect(csrInfo.contains("\((13 + 1) * 4 + csr.nnz * 8) B,"), "CSR: 32-bit offsets and indices, f32 values")
    }

    @Test func compactFormatsAndSpcGoTogether() throws {
        try SparseFile.write(.dense(AnyDenseTensor(seededMatrix(4, 9, seed: 2, zeros: 0.5))), to: path("m.npy"))
        #expect(throws: CLIFailure.self) { try sparrowOutput(["convert", path("m.npy"), path("m.npz"), "--format", "delta"]) }
        do {
            _ = try sparrowOutput(["convert", path("m.npy"), path("m.spc")])
            Issue.record("a .spc output without a compact format must be refused")
        } catch let failure as CLIFailure {
            #expect(failure.description.contains(".spc holds a compact format: add --format csr16, delta, bitmap, 2:4 or fcoo"))
        }
    }

    @Test func twoFourWritesAPrunedMatrixAndRefusesOneThatIsNot() throws {
        // 13 x 72 pruned 2:4 (pruning needs K divisible by 4), f16: one strip of three 16 x 32 tiles.
        let dense = try seededMatrix(13, 72, seed: 8).pruned(.nOfM(n: 2, m: 4)).matrix
        try SparseFile.write(.dense(AnyDenseTensor(dense)), to: path("p.npy"))
        let csr = try CSRMatrix(dense).converted(to: Float16.self)
        let output = try sparrowOutput(["convert", path("p.npy"), path("p.spc"), "--format", "2:4", "--dtype", "f16"])
        let contents = try CompactFile.read(path("p.spc"))
        #expect(contents.format == .twoFour && contents.storageBytes == 3 * (256 * 2 + 16 * 4))
        // 3 tiles of 256 f16 values and 16 words over 13 x 72 weights: 1728 / 936 B.
        #expect(output.contains("2:4 f16 13 x 72, \(csr.nnz) nonzeros, 1728 bytes, 1.846 B per weight"))
        #expect(contents.csr == AnySparseMatrix(csr))
        let info = try sparrowOutput(["info", path("p.spc")])
        #expect(info.contains("2:4") && info.contains("\(contents.storageBytes) B,"))
        _ = try sparrowOutput(["convert", path("p.spc"), path("p-back.npz"), "--dtype", "f32"])
        #expect(try SparseFile.read(path("p-back.npz")) == .sparse(AnySparseMatrix(csr.converted(to: Float.self))))
        // Row 2 of an unpruned matrix: columns 4, 5 and 6 in the run 4-7.
        var storage = [Float](repeating: 0, count: 4 * 9)
        for column in [0, 3, 4, 5, 6] { storage[2 * 9 + column] = Float(column + 1) }
        try SparseFile.write(.dense(AnyDenseTensor(DenseMatrix(rows: 4, columns: 9, storage: storage))), to: path("u.npy"))
        do {
            _ = try sparrowOutput(["convert", path("u.npy"), path("u.spc"), "--format", "2:4"])
            Issue.record("a matrix that is not 2:4 must be refused")
        } catch let failure as CLIFailure {
            #expect(failure.description.contains("u.spc"))
            #expect(failure.description.contains("invalid 2:4 matrix: row 2 holds 3 entries in columns 4-7 (4, 5, 6)"))
            #expect(failure.description.contains("prune with --pattern 2:4"))
        }
        #expect(!FileManager.default.fileExists(atPath: path("u.spc")))
    }
}
