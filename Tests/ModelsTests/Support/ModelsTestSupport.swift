import Foundation
import Testing
@testable import Models

/// The interpreter the tests' Python scripts run under: `$SPARROW_PYTHON` (set by
/// `scripts/setup.sh`), else `python3` on PATH.
let testPython = ProcessInfo.processInfo.environment["SPARROW_PYTHON"] ?? "python3"

/// Runs a Python script of `Tests/ModelsTests/Python` (or `-c CODE`) and returns its exit status
/// and its output (stdout and stderr together).
func runPython(_ arguments: [String]) -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [testPython] + arguments
    // One BLAS thread: numpy's OpenBLAS workers spin between calls and would take both cores of
    // a small CI machine from the tests running beside the reference.
    process.environment = ProcessInfo.processInfo.environment.merging(["OPENBLAS_NUM_THREADS": "1"]) { _, new in new }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    do { try process.run() } catch { return (-1, "cannot start \(testPython): \(error)") }
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self))
}

/// A script in `Tests/ModelsTests/Python`.
func pythonScript(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Python").appendingPathComponent(name).path
}

/// The repository's `scripts/` folder.
func repositoryScript(_ name: String) -> String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts").appendingPathComponent(name).path
}

/// all-MiniLM-L6-v2 where `scripts/get-model.sh` puts it.
let miniLMPath = ModelFolder.cached("all-MiniLM-L6-v2")
let miniLMAvailable = FileManager.default.fileExists(atPath: miniLMPath + "/model.safetensors")
    && FileManager.default.fileExists(atPath: miniLMPath + "/tokenizer.json")
let miniLMReason: Comment = "needs all-MiniLM-L6-v2 in \(miniLMPath) (scripts/get-model.sh, run by scripts/setup.sh)"

/// Whether Python has Hugging Face `tokenizers` (and numpy, safetensors for the reference forward).
let hfTokenizersAvailable = runPython(["-c", "import tokenizers"]).status == 0
let referenceAvailable = runPython(["-c", "import tokenizers, numpy, safetensors"]).status == 0

/// The committed tokenizer corpus: one JSON string per line.
func tokenizerCorpus() throws -> [String] {
    let url = Bundle.module.url(forResource: "Corpus", withExtension: nil)?.appendingPathComponent("tokenizer-corpus.jsonl")
    let data = try Data(contentsOf: try #require(url))
    // Split on "\n" bytes only: lines hold U+0085 and U+2028, which other splitting breaks at.
    return try data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true).map {
        try JSONDecoder().decode(String.self, from: Data($0))
    }
}

func scratchFolder(_ label: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("sparrow-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
