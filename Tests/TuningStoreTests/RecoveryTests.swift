import Foundation
import GRDB
import Testing
import Tuner
@testable import TuningStore

@Suite struct RecoveryTests {
    @Test func garbageIsMovedAsideWithAWarningAndAnEmptyStoreReplacesIt() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("t.sqlite")
        let garbage = Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) })
        try garbage.write(to: URL(fileURLWithPath: path))

        let store = try TuningStore(path: path)
        let warning = try #require(store.warning)
        let aside = try #require(
            try FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasPrefix("t.sqlite.corrupt-") })
        #expect(!warning.contains("\n"))
        #expect(warning.contains(path))
        #expect(warning.contains(folder.file(aside)))
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder.file(aside))) == garbage)

        #expect(try store.allTrials().isEmpty)
        try SpMMTuningStoreSink(store: store, context: h200).record(okTrial(tiled(32), 1e-5), for: try makeProblem())
        #expect(try store.allTrials().count == 1)
        // Once rebuilt, the file opens quietly.
        #expect(try TuningStore(path: path).warning == nil)
    }

    @Test func aDamagedPageFailsTheCheckAndIsRecovered() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("t.sqlite")
        do {
            let store = try TuningStore(path: path)
            let sink = SpMMTuningStoreSink(store: store, context: h200)
            for width in 1...400 {
                try sink.record(okTrial(tiled(32), 1e-5), for: try makeProblem(m: width))
            }
            // Everything into the main file, so that damaging it is damaging the data.
            _ = try store.pool.writeWithoutTransaction { try $0.checkpoint(.truncate) }
            try store.close()
        }
        // Overwrite the middle of the file (b-tree pages of the table and its indices) with zeros
        // and a few bytes that no page header has.
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: size / 2)
        try handle.write(contentsOf: Data(repeating: 0xFF, count: 16384))
        try handle.close()

        let store = try TuningStore(path: path)
        #expect(store.warning?.contains("corrupt") == true)
        #expect(try store.allTrials().isEmpty)
    }

    @Test func aLockedOrMissingFolderIsAnErrorNotACorruption() throws {
        // A path whose folder cannot be created must throw, never move anything aside.
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let blocker = folder.file("file")
        try Data("x".utf8).write(to: URL(fileURLWithPath: blocker))
        #expect(throws: (any Error).self) { try TuningStore(path: blocker + "/t.sqlite") }
        #expect(try Data(contentsOf: URL(fileURLWithPath: blocker)) == Data("x".utf8))
    }
}
