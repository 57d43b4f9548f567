import Foundation

/// One persistent Python process answering one JSON line per JSON request line on its standard
/// input, so interpreter start-up and imports are never timed: how the CPU baselines (scipy, ONNX
/// Runtime) are driven. Every answer carries `"ok": true`, or `"ok": false` and `"error"`.
package final class PythonWorker {
    /// What the worker runs, for messages ("scipy", "onnxruntime").
    package let name: String
    let process: Process
    let input: FileHandle
    let outputPipe: Pipe
    var buffered = Data()

    /// The interpreter: `$SPARROW_PYTHON` (set by `scripts/setup.sh` to its virtual environment),
    /// else `python3` on PATH.
    package static var python: String { ProcessInfo.processInfo.environment["SPARROW_PYTHON"] ?? "python3" }

    /// Nil when `python -c "import <modules>"` succeeds, else why not.
    package static func missing(imports modules: String, hint: String) -> CandidateSkipped? {
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = [python, "-c", "import \(modules)"]
        check.standardOutput = FileHandle.nullDevice
        check.standardError = FileHandle.nullDevice
        do {
            try check.run()
            check.waitUntilExit()
        } catch {
            return CandidateSkipped("\(python) not found: \(error)")
        }
        return check.terminationStatus == 0 ? nil : CandidateSkipped("\(python) lacks \(modules) (\(hint))")
    }

    /// Starts `python -u ARGUMENTS` (`-c SCRIPT` or a script's path and its options).
    package init(name: String, arguments: [String]) throws {
        self.name = name
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [Self.python, "-u"] + arguments
        let inPipe = Pipe()
        outputPipe = Pipe()
        process.standardInput = inPipe
        process.standardOutput = outputPipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        input = inPipe.fileHandleForWriting
    }

    deinit {
        try? input.close()
        process.waitUntilExit()
    }

    /// Sends one request and waits for its answer; throws the worker's error, or when it ended.
    package func request(_ fields: [String: Any]) throws -> [String: Any] {
        let line = try JSONSerialization.data(withJSONObject: fields) + Data("\n".utf8)
        input.write(line)
        let reader = outputPipe.fileHandleForReading
        while !buffered.contains(UInt8(ascii: "\n")) {
            let chunk = reader.availableData
            guard !chunk.isEmpty else { throw CandidateSkipped("the \(name) process ended") }
            buffered.append(chunk)
        }
        guard let newline = buffered.firstIndex(of: UInt8(ascii: "\n")) else { throw CandidateSkipped("no answer from \(name)") }
        let answer = buffered[buffered.startIndex..<newline]
        buffered = Data(buffered[(newline + 1)...])
        guard let object = try JSONSerialization.jsonObject(with: answer) as? [String: Any] else {
            throw CandidateSkipped("\(name) answered something that is not JSON")
        }
        guard object["ok"] as? Bool == true else { throw CandidateSkipped("\(name): \(object["error"] ?? "failed")") }
        return object
    }

    /// The `"times"` of a `{"op": "time", "warmup": W, "iterations": I}` request, in seconds.
    package func times(warmup: Int, iterations: Int) throws -> [Double] {
        let answer = try request(["op": "time", "warmup": warmup, "iterations": iterations])
        guard let times = answer["times"] as? [Double] else { throw CandidateSkipped("\(name) returned no times") }
        return times
    }
}
