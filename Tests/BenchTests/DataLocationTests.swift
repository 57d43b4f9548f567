import Foundation
import Testing
@testable import Bench

/// `--data` is that folder or an error, never the cache; an unpack counts only with its marker.
@Suite("DLMC data location and unpacking")
struct DataLocationTests {
    /// A folder holding a public-layout `dlmc.tar.gz` with two rn50 matrices at 0.9 and the
    /// spatial sizes, as google-research/sgk's archive lays them out.
    func publicArchive(in folder: URL) throws -> URL {
        let source = folder.appendingPathComponent("source")
        let layers = source.appendingPathComponent("dlmc/rn50/magnitude_pruning/0.9")
        try FileManager.default.createDirectory(at: layers, withIntermediateDirectories: true)
        try Data("2, 3, 2\n0 1 2\n0 2\n".utf8).write(to: layers.appendingPathComponent("conv_a.smtx"))
        try Data("3, 2, 1\n0 1 1 1\n1\n".utf8).write(to: layers.appendingPathComponent("conv_b.smtx"))
        let other = source.appendingPathComponent("dlmc/rn50/random_pruning/0.9")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        try Data("1, 1, 0\n0 0\n\n".utf8).write(to: other.appendingPathComponent("skipped.smtx"))
        try Data("conv_a,49\n".utf8).write(to: source.appendingPathComponent("dlmc/rn50_batchsizes.txt"))
        let data = folder.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tar.arguments = ["tar", "-czf", data.appendingPathComponent("dlmc.tar.gz").path, "-C", source.path, "dlmc"]
        try tar.run()
        tar.waitUntilExit()
        try #require(tar.terminationStatus == 0)
        return data
    }

    @Test func aNamedFolderMustExistAndIsNeverReplacedByTheCache() throws {
        let folder = try benchScratch("data-named")
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = folder.appendingPathComponent("nope").path
        #expect(throws: SuiteError.self) { _ = try DataLocation.resolve(missing, needed: true) }
        do { _ = try DataLocation.resolve(missing, needed: true) } catch {
            #expect("\(error)".hasPrefix("--data \(missing): no such folder"))
        }
        #expect(try DataLocation.resolve(missing, needed: false) == nil)

        // A cache holding a complete unpack does not stand in for an empty named folder.
        let data = try publicArchive(in: folder)
        let cache = folder.appendingPathComponent("cache")
        _ = try DLMCData(directory: data, cacheDirectory: cache).unpacked(model: "rn50")
        let empty = folder.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let resolved = try #require(try DataLocation.resolve(empty.path, needed: true))
        #expect(resolved.directory.path == empty.path)
        let emptyData = DLMCData(directory: empty, cacheDirectory: cache)
        #expect(throws: SuiteError.self) { _ = try emptyData.unpacked(model: "rn50") }
        do { _ = try emptyData.unpacked(model: "rn50") } catch {
            #expect("\(error)".contains(DLMCData.downloadURL))
        }
    }

    @Test func thePublicArchiveIsUnpackedOnceWithAMarkerAndAnInterruptedUnpackIsRedone() throws {
        let folder = try benchScratch("data-marker")
        defer { try? FileManager.default.removeItem(at: folder) }
        let data = DLMCData(directory: try publicArchive(in: folder), cacheDirectory: folder.appendingPathComponent("cache"))
        var notes: [String] = []
        let root = try data.unpacked(model: "rn50") { notes.append($0) }
        let unpackedFolder = try #require(DLMCData.archives(model: "rn50").last.map { data.cacheFolder($0, model: "rn50") })
        let marker = unpackedFolder.appendingPathComponent(DLMCData.markerName)
        #expect(FileManager.default.fileExists(atPath: marker.path))
        #expect(notes.count == 1 && notes[0].hasPrefix("unpacking ") && notes[0].hasSuffix("(once)"))
        // Only the magnitude-pruned matrices of the model are taken from the public archive.
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("rn50/random_pruning").path))

        notes = []
        #expect(try data.unpacked(model: "rn50") { notes.append($0) } == root)
        #expect(notes.isEmpty, "a complete unpack is reused silently")

        // An interrupted unpack: some files, no marker.
        try FileManager.default.removeItem(at: marker)
        try FileManager.default.removeItem(at: root.appendingPathComponent("rn50/magnitude_pruning/0.9/conv_b.smtx"))
        _ = try data.unpacked(model: "rn50") { notes.append($0) }
        #expect(notes.count == 2 && notes[0].contains("incomplete or stale unpack") && notes[1].hasPrefix("unpacking "))
        #expect(FileManager.default.fileExists(atPath: marker.path))
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("rn50/magnitude_pruning/0.9/conv_b.smtx").path))

        let problems = try BenchSuite(name: .dlmcRN50, selection: SuiteSelection(sparsities: [0.9]), data: data).problems()
        #expect(problems.map(\.name) == ["rn50/0.9/conv_a", "rn50/0.9/conv_a", "rn50/0.9/conv_b"])
        #expect(problems.map(\.m) == [49, 256, 256])
    }
}
