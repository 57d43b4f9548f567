import Foundation
import SparseFormats
import SparseIO
import Testing

/// The package root, found from this file's path (Tests/RuntimeTests/CLISupport.swift).
let packageRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// A fresh, empty folder for one test; callers remove it.
func cliScratch(_ label: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("sparrow-cli-\(label)-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// The `sparrow` executable of this build. `swift build --build-tests` puts it next to
/// the test bundle, which is the running executable (or its parent on some platforms);
/// `<package>/.build/debug/sparrow` is the last resort.
func sparrowExecutable() -> URL? {
    var folders: [URL] = []
    if let executable = Bundle.main.executableURL { folders.append(executable.deletingLastPathComponent()) }
    let argument0 = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
    folders.append(argument0.deletingLastPathComponent())
    folders += Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent() }
    folders.append(packageRoot.appendingPathComponent(".build/debug"))
    for folder in folders {
        // An .xctest bundle folder (macOS) sits beside the product; walk up out of it.
        var candidate = folder
        while candidate.path.contains(".xctest") { candidate = candidate.deletingLastPathComponent() }
        let binary = candidate.appendingPathComponent("sparrow")
        if FileManager.default.isExecutableFile(atPath: binary.path) { return binary }
    }
    return nil
}

/// What a run of the `sparrow` executable did.
struct CLIResult {
    var status: Int32
    /// True when the process ended by a signal (a crash), not by exit.
    var signalled: Bool
    var stdout: String
    var stderr: String
    var stderrLines: [Substring] { stderr.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty } }
}

/// Runs the `sparrow` executable with `arguments` in `folder`.
func runSparrow(_ arguments: [String], in folder: URL? = nil) throws -> CLIResult {
    let binary = try #require(sparrowExecutable(), "no sparrow executable beside the tests; run swift build first")
    return try runProcess(binary, arguments, in: folder)
}

/// Runs `python3` (found on PATH) with `arguments`.
func runPython(_ arguments: [String]) throws -> CLIResult {
    try runProcess(URL(fileURLWithPath: "/usr/bin/env"), ["python3"] + arguments)
}

/// Whether python3 with numpy and scipy is there to read what Sparrow wrote.
let scipyAvailable: Bool = (try? runPython(["-c", "import numpy, scipy.sparse"]))?.status == 0

/// Runs `executable` with `arguments` in `folder` and collects what it printed.
func runProcess(_ executable: URL, _ arguments: [String], in folder: URL? = nil) throws -> CLIResult {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    if let folder { process.currentDirectoryURL = folder }
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read both pipes to the end before waiting, so a full pipe cannot block the child.
    let group = DispatchGroup()
    nonisolated(unsafe) var outData = Data(), errData = Data()
    DispatchQueue.global().async(group: group) { outData = out.fileHandleForReading.readDataToEndOfFile() }
    errData = err.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return CLIResult(
        status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
        stdout: String(decoding: outData, as: UTF8.self), stderr: String(decoding: errData, as: UTF8.self))
}

/// A seeded matrix of shape rows x columns with roughly `zeros` of its entries zero.
func seededMatrix(_ rows: Int, _ columns: Int, seed: UInt64, zeros: Double = 0) -> DenseMatrix<Float> {
    var generator = SeededGenerator(seed: seed)
    let values: [Float] = generator.signedUnitValues(rows * columns)
    var keep = SeededGenerator(seed: seed &+ 1)
    let unit: [Float] = keep.signedUnitValues(rows * columns)
    let storage = zip(values, unit).map { value, u in (u + 1) / 2 < Float(zeros) ? 0 : value }
    do {
        return try DenseMatrix(rows: rows, columns: columns, storage: storage)
    } catch {
        preconditionFailure("bad test matrix: \(error)")
    }
}

/// Decodes the JSON a command printed.
func decodeJSON<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
    try JSONDecoder().decode(T.self, from: Data(text.utf8))
}

/// Reads a written file as named tensors (safetensors or np.savez), or fails the test.
func readTensors(_ path: String) throws -> TensorCollection {
    guard case let .tensors(c) = try SparseFile.read(path) else {
        Issue.record("\(path) does not hold named tensors")
        return TensorCollection()
    }
    return c
}

/// Fraction of exact zeros in a tensor.
func zeroFraction(_ tensor: AnyDenseTensor) -> Double {
    let values = tensor.doubles()
    return values.isEmpty ? 0 : Double(values.filter { $0 == 0 }.count) / Double(values.count)
}

/// A `sparrow` run that exited with a non-zero status: its first stderr line without the
/// program's prefix (the one-line error the CLI promises).
struct CLIFailure: Error, CustomStringConvertible {
    var status: Int32
    var description: String
}

/// Runs `sparrow arguments...` and returns what it printed on stdout; a non-zero exit throws
/// ``CLIFailure`` with the error line.
func sparrowOutput(_ arguments: [String]) throws -> String {
    let result = try runSparrow(arguments)
    guard result.status == 0, !result.signalled else {
        var line = String(result.stderrLines.last { $0.hasPrefix("sparrow: ") || $0.hasPrefix("Error: ") } ?? result.stderrLines.first ?? "")
        for prefix in ["sparrow: ", "Error: "] where line.hasPrefix(prefix) { line.removeFirst(prefix.count) }
        throw CLIFailure(status: result.status, description: line)
    }
    return result.stdout
}
