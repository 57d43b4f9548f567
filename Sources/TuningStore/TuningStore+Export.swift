import Foundation
import GRDB

/// What to do with an imported trial whose key is already stored.
package enum ImportPolicy: Sendable {
    /// Keep the stored trial.
    case skipDuplicates
    /// Replace it with the imported one.
    case replace
}

/// What an import did.
package struct ImportReport: Sendable, Hashable {
    /// Trials whose key was new.
    package var inserted = 0
    /// Trials that replaced a stored one (``ImportPolicy/replace``).
    package var replaced = 0
    /// Trials skipped because their key was stored (``ImportPolicy/skipDuplicates``).
    package var skipped = 0

    package init(inserted: Int = 0, replaced: Int = 0, skipped: Int = 0) {
        self.inserted = inserted
        self.replaced = replaced
        self.skipped = skipped
    }
}

extension TuningStore {
    /// The first line of an export file: names the format and its version, so that a reader
    /// rejects something else and a later version can convert. Version 2 adds the problem's
    /// details (``ProblemDetails``) to each line.
    static let exportHeader = #"{"format":"sparrow-trials","version":2}"#

    /// The headers ``importTrials(from:policy:)`` reads: this version's and version 1's (whose
    /// lines lack the details, read as unknown).
    static let readableHeaders: Set<String> = [exportHeader, #"{"format":"sparrow-trials","version":1}"#]

    /// Writes every trial to `path` as JSON lines, in key order (one header line, then one
    /// ``StoredTrial`` object per line with the columns' names), gzip-compressed when `path` ends
    /// in `.gz`. Returns the number of trials written.
    @discardableResult
    package func exportTrials(to path: String) throws -> Int {
        let rows = try allTrials()
        let encoder = JSONEncoder()
        // Sorted keys and key order make an export of the same trials byte-identical.
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var text = Data((Self.exportHeader + "\n").utf8)
        for row in rows {
            text.append(try encoder.encode(row))
            text.append(0x0A)
        }
        try Gzip.write(text, to: path)
        return rows.count
    }

    /// Reads an ``exportTrials(to:)`` file (gzip when `path` ends in `.gz`) and stores its
    /// trials in one transaction; a trial whose key is stored is skipped or replaces it, as
    /// `policy` says. A malformed line stores nothing.
    @discardableResult
    package func importTrials(from path: String, policy: ImportPolicy = .skipDuplicates) throws -> ImportReport {
        let rows = try Self.readExport(path)
        return try pool.write { db in
            var report = ImportReport()
            for row in rows {
                let exists = try Self.matching(row.problem, row.context)
                    .filter(Column("phase") == row.phase.rawValue && Column("config") == row.config)
                    .fetchCount(db) > 0
                switch (exists, policy) {
                case (false, _):
                    try row.insert(db)
                    report.inserted += 1
                case (true, .skipDuplicates):
                    report.skipped += 1
                case (true, .replace):
                    try row.insert(db, onConflict: .replace)
                    report.replaced += 1
                }
            }
            return report
        }
    }

    /// The trials of an ``exportTrials(to:)`` file (gzip when `path` ends in `.gz`), in order,
    /// without a database (what `sparrow tune --features` reads).
    package static func readExport(_ path: String) throws -> [StoredTrial] {
        let lines = try Gzip.read(path).split(separator: 0x0A, omittingEmptySubsequences: true)
        guard let header = lines.first, readableHeaders.contains(String(decoding: header, as: UTF8.self)) else {
            throw TuningStoreError.malformedExport(path: path, line: 1, reason: "the first line must be \(exportHeader)")
        }
        let decoder = JSONDecoder()
        var rows: [StoredTrial] = []
        for (index, line) in lines.enumerated().dropFirst() {
            do {
                rows.append(try decoder.decode(StoredTrial.self, from: Data(line)))
            } catch {
                throw TuningStoreError.malformedExport(path: path, line: index + 1, reason: "\(error)")
            }
        }
        return rows
    }
}
