import Foundation
import Testing
import Tuner
@testable import TuningStore

@Suite struct ConcurrencyTests {
    @Test func twoStoresOpenedAndWrittenAtOnceLoseNothing() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("t.sqlite")
        let perWriter = 150
        // Two pools on one new file, each from its own task: opening (WAL setup, migration) and
        // writing race, as two tuning processes would.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<2 {
                group.addTask {
                    let store = try TuningStore(path: path)
                    let sink = SpMMTuningStoreSink(store: store, context: writer == 0 ? h200 : a100)
                    for width in 1...perWriter {
                        try sink.record(okTrial(tiled(32), Double(width) * 1e-6), for: try makeProblem(m: width))
                    }
                }
            }
            try await group.waitForAll()
        }
        let store = try TuningStore(path: path)
        #expect(store.warning == nil)
        #expect(try store.allTrials().count == 2 * perWriter)
        #expect(try TuningStore.integrityProblem(store.pool) == nil)
    }

    static let sqlite3 = ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3", "/opt/homebrew/bin/sqlite3"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: sqlite3 != nil, "needs the sqlite3 command for a second process"))
    func anotherProcessWritingAtOnceLosesNothing() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.file("t.sqlite")
        let store = try TuningStore(path: path)
        let count = 200
        // The other process: sqlite3 inserting one trial per transaction, waiting for locks as
        // the store does.
        var script = ".timeout 30000\n"
        for width in 1...count {
            script += """
                INSERT INTO trial VALUES ('spmm', '0000000000000001', 8, 8, 8, \(width), 'f32', 'f32', '', 'cli', '9.0',
                '1', '1', 4, 'tiled', 'r1', 'full', NULL, 1e-5, '[]', NULL, 'ok', NULL, NULL, NULL, '2026-01-01T00:00:00.000Z',
                NULL, NULL, NULL, NULL, NULL, NULL);

                """
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(Self.sqlite3))
        process.arguments = [path]
        let input = Pipe()
        process.standardInput = input
        try process.run()
        let writer = Task.detached {
            input.fileHandleForWriting.write(Data(script.utf8))
            try? input.fileHandleForWriting.close()
        }
        let sink = SpMMTuningStoreSink(store: store, context: h200)
        for width in 1...count {
            try sink.record(okTrial(tiled(32), 1e-5), for: try makeProblem(m: width))
        }
        await writer.value
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(try store.allTrials().count == 2 * count)
        #expect(try TuningStore.integrityProblem(store.pool) == nil)
    }
}
