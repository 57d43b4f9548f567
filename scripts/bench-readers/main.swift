// Times SparseIO reads of the files given as arguments: best of N (warm page cache),
// after checking the result is what the file holds (shape and stored count printed).
// Built by bench-readers.sh against the release-built SparseIO objects.
import Foundation
import SparseIO

let repeats = Int(ProcessInfo.processInfo.environment["REPEATS"] ?? "") ?? 5
for path in CommandLine.arguments.dropFirst() {
    var best = Double.infinity, summary = ""
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        let loaded: LoadedFile
        do { loaded = try SparseFile.read(path) } catch { print("\(error)"); exit(1) }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        best = min(best, seconds)
        switch loaded {
        case let .sparse(m): summary = "\(m.formatName) \(m.rows)x\(m.columns) stored=\(m.storedCount) \(m.elementType.rawValue)"
        case let .dense(t): summary = "dense \(t.dtype.rawValue) \(t.shape)"
        case let .tensors(t): summary = "\(t.count) tensors"
        }
    }
    print(String(format: "sparrow %@ %.3f s  (%@)", (path as NSString).lastPathComponent, best, summary))
}
