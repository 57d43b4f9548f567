import Foundation
import SparseFormats
import SparseIO

/// `sparrow bench spmm FILE...`: benchmark problems from your own weights. Every 2-D tensor or
/// sparse matrix of the files (a safetensors model, a plain or scipy `.npz`, `.mtx`, `.npy`,
/// `.smtx`, or a folder of them) that is sparse enough becomes a problem at each dense width,
/// with Float values; the rest are listed as skipped, with the reason.
package struct FileProblems: Sendable {
    /// The suite name problems carry in reports.
    package static let suiteName = "files"
    /// The default rule: a tensor is benchmarked when at least this fraction of it is zero.
    package static let defaultMinSparsity = 0.3
    /// The default dense widths: decoding (1), a small batch (16) and a prefill-sized block (256).
    package static let defaultWidths = [1, 16, 256]

    package var paths: [String]
    package var minSparsity: Double
    package var widths: [Int]
    /// Only tensors whose problem name contains this text.
    package var filter: String?
    /// At most this many tensors, in file order.
    package var limit: Int?

    package init(paths: [String], minSparsity: Double? = nil, widths: [Int]? = nil, filter: String? = nil, limit: Int? = nil) {
        self.paths = paths
        self.minSparsity = minSparsity ?? Self.defaultMinSparsity
        self.widths = widths ?? Self.defaultWidths
        self.filter = filter
        self.limit = limit
    }

    /// The rule in words, for help and progress lines.
    package var rule: String {
        String(format: "2-D tensors with at least %g%% zeros (--min-sparsity %g)", minSparsity * 100, minSparsity)
    }

    /// Reads every file and returns its problems; `note` hears the rule and each skipped tensor.
    package func problems(note: (String) -> Void = { _ in }) throws -> [SpMMBenchProblem] {
        guard (0...1).contains(minSparsity) else { throw SuiteError("--min-sparsity \(minSparsity): must be in [0, 1]") }
        note("files: benchmarking \(rule) at n = \(widths.map(String.init).joined(separator: " "))")
        var matrices: [(name: String, file: String, matrix: CSRMatrix<Float>)] = []
        var skipped: [String] = []
        for file in try Self.expand(paths) {
            let loaded: LoadedFile
            do { loaded = try SparseFile.read(file) } catch { throw SuiteError(error.description) }
            let single = URL(fileURLWithPath: file).lastPathComponent
            for entry in Self.entries(loaded, file: single) {
                if let filter, !entry.name.contains(filter) { continue }
                switch entry.check(minSparsity: minSparsity) {
                case .success(let matrix):
                    // The path as found (a folder's file keeps its folders: the matrix's family).
                    let origin = entry.name == single ? file : file + "#" + entry.name.dropFirst(single.count + 1)
                    matrices.append((entry.name, origin, matrix))
                case .failure(let reason): skipped.append("\(entry.name) (\(reason.description))")
                }
            }
        }
        if !skipped.isEmpty { note("files: skipped \(skipped.count): " + skipped.joined(separator: ", ")) }
        guard !matrices.isEmpty else {
            throw SuiteError("\(paths.joined(separator: " ")): no \(rule)\(filter.map { " whose name contains \($0)" } ?? "")")
        }
        if let limit, matrices.count > limit {
            note("files: --limit \(limit): taking the first \(limit) of \(matrices.count) tensors")
            matrices = Array(matrices.prefix(limit))
        }
        return matrices.flatMap { name, file, matrix in
            // Grouped in the report by sparsity to two decimals (pruning targets are round numbers).
            let nominal = (matrix.sparsity * 100).rounded() / 100
            return widths.map { SpMMBenchProblem(name: name, suite: Self.suiteName, nominalSparsity: nominal, matrix: matrix, m: $0, file: file) }
        }
    }

    /// Files named, and the matrix files in folders named (recursively, in name order).
    static func expand(_ paths: [String]) throws -> [String] {
        let fm = FileManager.default
        var files: [String] = []
        for path in paths {
            var isFolder: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isFolder) else { throw SuiteError("\(path): no such file or folder") }
            guard isFolder.boolValue else {
                files.append(path)
                continue
            }
            let known = Set(SparseFile.Format.allCases.map(\.rawValue))
            let inside = (fm.enumerator(atPath: path)?.compactMap { $0 as? String } ?? [])
                .filter { known.contains(URL(fileURLWithPath: $0).pathExtension.lowercased()) }
                .sorted()
            guard !inside.isEmpty else {
                throw SuiteError("\(path): no .safetensors, .npz, .npy, .mtx or .smtx files in this folder")
            }
            files += inside.map { URL(fileURLWithPath: path).appendingPathComponent($0).path }
        }
        return files
    }
}
