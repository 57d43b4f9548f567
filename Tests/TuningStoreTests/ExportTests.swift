import Foundation
import KernelGen
import Testing
import Tuner
import TuningStore

@Suite struct ExportTests {
    /// A store holding every status on two problems in two contexts.
    static func filledStore(_ path: String) throws -> TuningStore {
        let store = try TuningStore(path: path)
        for context in [h200, a100] {
            let sink = SpMMTuningStoreSink(store: store, context: context)
            for problem in [try makeProblem(), try makeProblem(m: 1, type: .bf16)] {
                for trial in RoundTripTests.everyStatus() { try sink.record(trial, for: problem) }
            }
        }
        return store
    }

    @Test(arguments: ["trials.jsonl", "trials.jsonl.gz"])
    func exportThenImportIsExact(name: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let source = try Self.filledStore(folder.file("a.sqlite"))
        let count = try source.exportTrials(to: folder.file(name))
        #expect(count == 2 * 2 * RoundTripTests.everyStatus().count)

        let copy = try TuningStore(path: folder.file("b.sqlite"))
        #expect(try copy.importTrials(from: folder.file(name)) == ImportReport(inserted: count))
        #expect(try copy.allTrials() == source.allTrials())
        // Exported again, the same bytes (the format is stable and ordered).
        try copy.exportTrials(to: folder.file("again-" + name))
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: folder.file(name)))
                == Data(contentsOf: URL(fileURLWithPath: folder.file("again-" + name))))
    }

    @Test func importSkipsOrReplacesTrialsWhoseKeyIsStored() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let file = folder.file("t.jsonl")
        let problem = try makeProblem()
        let exporter = try TuningStore(path: folder.file("a.sqlite"))
        let sink = SpMMTuningStoreSink(store: exporter, context: h200)
        try sink.record(okTrial(tiled(32), 1e-5), for: problem)
        try sink.record(okTrial(tiled(64), 2e-5), for: problem)
        try exporter.exportTrials(to: file)

        let importer = try TuningStore(path: folder.file("b.sqlite"))
        let local = SpMMTuningStoreSink(store: importer, context: h200)
        try local.record(okTrial(tiled(32), 9e-5), for: problem)
        #expect(try importer.importTrials(from: file, policy: .skipDuplicates) == ImportReport(inserted: 1, skipped: 1))
        #expect(local.recall(tiled(32), for: problem)?.seconds == 9e-5)
        #expect(try importer.importTrials(from: file, policy: .replace) == ImportReport(replaced: 2))
        #expect(local.recall(tiled(32), for: problem)?.seconds == 1e-5)
        #expect(try importer.allTrials().count == 2)
    }

    @Test func aFileOfAnotherFormatIsRefusedAndStoresNothing() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let store = try TuningStore(path: folder.file("t.sqlite"))
        let notExport = folder.file("x.jsonl")
        try Data("{\"a\":1}\n".utf8).write(to: URL(fileURLWithPath: notExport))
        #expect(throws: TuningStoreError.self) { try store.importTrials(from: notExport) }

        let source = try Self.filledStore(folder.file("a.sqlite"))
        let export = folder.file("e.jsonl")
        try source.exportTrials(to: export)
        var text = try String(contentsOfFile: export, encoding: .utf8)
        text += "{\"op\":\"spmm\"}\n"
        try Data(text.utf8).write(to: URL(fileURLWithPath: export))
        let lines = text.split(separator: "\n").count
        #expect {
            try store.importTrials(from: export)
        } throws: { error in
            guard case .malformedExport(_, let line, _) = error as? TuningStoreError else { return false }
            return line == lines
        }
        #expect(try store.allTrials().isEmpty)
    }
}

@Suite struct ExportVersionTests {
    @Test func aVersion1ExportImportsWithUnknownDetails() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let store = try TuningStore(path: folder.file("a.sqlite"))
        try SpMMTuningStoreSink(store: store, context: h200).record(okTrial(tiled(32), 1e-5), for: try makeProblem())
        let file = folder.file("t.jsonl")
        try store.exportTrials(to: file)
        // Version 1 lines: the same objects without the details' keys.
        var lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[0] = #"{"format":"sparrow-trials","version":1}"#
        for key in ["source", "max_row_length", "row_length_std", "empty_rows", "column_length_std"] {
            lines[1] = lines[1].replacingOccurrences(of: "\"\(key)\":null,", with: "")
        }
        #expect(!lines[1].contains("source"))
        try (lines.joined(separator: "\n") + "\n").write(toFile: file, atomically: true, encoding: .utf8)

        let copy = try TuningStore(path: folder.file("b.sqlite"))
        #expect(try copy.importTrials(from: file) == ImportReport(inserted: 1))
        #expect(try copy.allTrials() == store.allTrials())
        #expect(try TuningStore.readExport(file).count == 1)
    }
}
