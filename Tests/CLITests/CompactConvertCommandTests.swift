import Foundation
import SparseFormats
import SparseIO
import Testing

/// `sparrow convert --format csr16|delta|bitmap` to `.spc`, `sparrow info` on the result, and the
/// errors for a compact format without `.spc` (and the reverse).
@Suite("sparrow convert to compact formats")
struct CompactConvertCommandTests {
    let folder: URL

    init() throws { folder = try cliScratch("compact-convert") }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    @Test func eachCompactFormatWritesReadsBackAndReportsBytesPerWeight() throws {
        let w = seededMatrix(13, 70, seed: 5, zeros: 0.8)
        try SparseFile.write(.dense(AnyDenseTensor(w)), to: path("w.npy"))
        let csr = try CSRMatrix(w)
        for (layout, format) in [("csr16", "csr16"), ("delta", "delta4"), ("bitmap", "bitmap8x8")] {
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
            #expect(failure.description.contains(".spc holds a compact format: add --format csr16, delta or bitmap"))
        }
    }
}
