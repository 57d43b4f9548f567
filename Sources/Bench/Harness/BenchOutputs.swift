import Foundation

/// Where a benchmark writes its report (`--json`, `--markdown`, `--svg`) and keeps its finished
/// problems while it runs. Every path is checked before any work, so a typo costs a second, not
/// the run.
package struct BenchOutputs: Sendable {
    package var json: String?
    package var markdown: String?
    package var svg: String?

    package init(json: String? = nil, markdown: String? = nil, svg: String? = nil) {
        self.json = json
        self.markdown = markdown
        self.svg = svg
    }

    /// The partial results file: `<json>.partial.jsonl` beside `--json`; else the `--resume` file
    /// when it is one (the rerun appends to it); else a new
    /// `$SPARROW_CACHE_DIR/bench/spmm-<date>-<pid>.partial.jsonl` (default `~/.cache/sparrow`).
    package func partialPath(resume: String?) -> String {
        if let json { return json + ".partial.jsonl" }
        if let resume, resume.hasSuffix(".jsonl") { return resume }
        let env = ProcessInfo.processInfo.environment
        let cache = env["SPARROW_CACHE_DIR"] ?? (NSHomeDirectory() + "/.cache/sparrow")
        let stamp = DateFormatter.benchStamp.string(from: Date())
        return "\(cache)/bench/spmm-\(stamp)-\(ProcessInfo.processInfo.processIdentifier).partial.jsonl"
    }

    /// Throws one line naming the option and the path when a report could not be written there:
    /// a folder, a missing or read-only folder, a read-only file. The partial file's folder is
    /// created when it is the cache's.
    package func check(partial: String, resume: String?) throws {
        for (option, path) in [("--json", json), ("--markdown", markdown), ("--svg", svg)] {
            if let path { try Self.checkWritable(path, option: option) }
        }
        if json == nil, resume != partial {
            let folder = URL(fileURLWithPath: partial).deletingLastPathComponent()
            do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
                throw BenchSetupError("\(folder.path): cannot create the folder for the partial results (\(error.localizedDescription)); set SPARROW_CACHE_DIR or pass --json")
            }
        }
        try Self.checkWritable(partial, option: "partial results")
        if let resume, !FileManager.default.isReadableFile(atPath: resume) {
            throw BenchSetupError("--resume \(resume): no such file, or not readable")
        }
    }

    /// Writes every report asked for; a failure on one still writes the others, then throws
    /// one line naming each path that failed.
    package func write(_ report: BenchReport) throws {
        var failures: [String] = []
        func attempt(_ path: String?, _ option: String, _ contents: () throws -> Data) {
            guard let path else { return }
            do { try contents().write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
                failures.append("\(option) \(path): \(error.localizedDescription)")
            }
        }
        attempt(json, "--json") { try BenchJSON.encoder(pretty: true).encode(report) + Data("\n".utf8) }
        attempt(markdown, "--markdown") { Data(report.markdown().utf8) }
        attempt(svg, "--svg") { Data(report.svgChart().utf8) }
        if !failures.isEmpty { throw BenchSetupError(failures.joined(separator: "; ")) }
    }

    static func checkWritable(_ path: String, option: String) throws {
        let fm = FileManager.default
        var isFolder: ObjCBool = false
        if path.hasSuffix("/") || (fm.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue) {
            throw BenchSetupError("\(option) \(path): is a folder; give the path of a file to write")
        }
        if fm.fileExists(atPath: path) {
            guard fm.isWritableFile(atPath: path) else { throw BenchSetupError("\(option) \(path): the file exists and is not writable") }
            return
        }
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard fm.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw BenchSetupError("\(option) \(path): the folder \(folder) does not exist")
        }
        guard fm.isWritableFile(atPath: folder) else { throw BenchSetupError("\(option) \(path): the folder \(folder) is not writable") }
    }
}

extension DateFormatter {
    /// `20250131-142501`: sortable, and safe in a file name.
    static var benchStamp: DateFormatter {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return formatter
    }
}
