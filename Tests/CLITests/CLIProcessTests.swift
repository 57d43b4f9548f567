import Foundation
import Bench
import FileTools
import Runtime
import SparseIO
import Testing

/// The built `sparrow` executable, run as a user would: exit status, stdout, stderr.
@Suite("sparrow executable")
struct CLIProcessTests {
    static let malformedFolder = packageRoot.appendingPathComponent("Tests/SparseIOTests/Malformed")

    static func malformedFiles() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: malformedFolder.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted()
    }

    @Test func theCorpusIsThere() {
        #expect(Self.malformedFiles().count >= 40)
    }

    /// Every malformed file: exit 1, one line on stderr naming the file, no crash.
    /// The corpus's zip bombs are bombs under a 1 MiB cap (so they stay tiny on disk).
    @Test(arguments: malformedFiles())
    func infoOnAMalformedFileFailsWithOneLine(file: String) throws {
        let path = Self.malformedFolder.appendingPathComponent(file).path
        let result = try runSparrow(["info", path, "--max-decompressed-bytes", String(1 << 20)])
        #expect(!result.signalled, "\(file): killed by a signal")
        #expect(result.status == 1, "\(file): exit status \(result.status)")
        #expect(result.stderrLines.count == 1, "\(file): stderr was \(result.stderr)")
        #expect(result.stderr.hasPrefix("sparrow: "))
        #expect(result.stderr.contains(file))
        #expect(result.stdout.isEmpty)
    }

    @Test func infoAndConvertOnAGoodFile() throws {
        let folder = try cliScratch("process")
        defer { try? FileManager.default.removeItem(at: folder) }
        try SparseFile.write(.dense(AnyDenseTensor(seededMatrix(6, 8, seed: 51, zeros: 0.5))), to: folder.appendingPathComponent("w.npy").path)
        let info = try runSparrow(["info", "w.npy", "--json"], in: folder)
        #expect(info.status == 0 && info.stderr.isEmpty)
        let summary = try decodeJSON(FileSummary.self, info.stdout)
        #expect(summary.matrix?.rows == 6 && summary.matrix?.columns == 8)

        let convert = try runSparrow(["convert", "w.npy", "w.npz", "--dtype", "f16"], in: folder)
        #expect(convert.status == 1 && convert.stderrLines.count == 1)
        #expect(convert.stderr.hasPrefix("sparrow: w.npz: ") && convert.stderr.contains("--dtype f32"))

        let prune = try runSparrow(["prune", "w.npy", "p.npy", "--sparsity", "0.75"], in: folder)
        #expect(prune.status == 0 && prune.stdout.contains("0.7500"))
    }
}

/// The DLMC ResNet-50 tarball, at ../shared/data relative to the package root.
let dlmcArchive = packageRoot.appendingPathComponent("../shared/data/dlmc-rn50-magnitude.tar.xz").standardizedFileURL

@Suite("sparrow info on DLMC", .enabled(if: FileManager.default.fileExists(atPath: dlmcArchive.path),
                                         "needs ../shared/data/dlmc-rn50-magnitude.tar.xz next to the package"))
struct DLMCInfoTests {
    @Test(arguments: ["dlmc/rn50/magnitude_pruning/0.9/bottleneck_2_block_group3_3_1.smtx"])
    func statisticsMatchTheCatalogue(member: String) throws {
        let folder = try cliScratch("dlmc")
        defer { try? FileManager.default.removeItem(at: folder) }
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tar.arguments = ["tar", "-xJf", dlmcArchive.path, "-C", folder.path, "dlmc/dlmc.csv", member]
        try tar.run()
        tar.waitUntilExit()
        try #require(tar.terminationStatus == 0, "tar could not unpack \(member)")

        let lines = try String(contentsOf: folder.appendingPathComponent("dlmc/dlmc.csv"), encoding: .utf8).split(separator: "\n")
        let header = try #require(lines.first).split(separator: ",").map(String.init)
        let row = try #require(lines.first { $0.split(separator: ",").dropFirst(2).first == Substring(member) }, "\(member) is not in dlmc.csv")
        let fields = row.split(separator: ",").map(String.init)
        func number(_ name: String) throws -> Double {
            let index = try #require(header.firstIndex(of: name), "dlmc.csv has no column \(name)")
            return try #require(Double(fields[index]))
        }

        let result = try runSparrow(["info", folder.appendingPathComponent(member).path, "--json"])
        try #require(result.status == 0, "sparrow info failed: \(result.stderr)")
        let matrix = try #require(try decodeJSON(FileSummary.self, result.stdout).matrix)
        let stats = matrix.rowStatistics
        #expect(Double(matrix.rows) == (try number("nrows")))
        #expect(Double(matrix.columns) == (try number("ncols")))
        #expect(Double(matrix.stored) == (try number("nnz")))
        // dlmc.csv rounds to Float32.
        func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-5 * max(1, abs(b)) }
        #expect(close(stats.meanPerRow, try number("mean_nnz_per_row")))
        #expect(close(stats.stdPerRow, try number("std_nnz_per_row")))
        #expect(close(stats.meanPerColumn, try number("mean_nnz_per_col")))
        #expect(close(stats.stdPerColumn, try number("std_nnz_per_col")))
        #expect(close(matrix.sparsity, try number("sparsity")))
    }
}
