import Foundation

/// Reading and writing files that are gzip-compressed when their name ends in `.gz`, through the
/// system's `gzip` (present wherever Sparrow runs; no compression library to link).
package enum Gzip {
    /// Whether `path` names a compressed file.
    package static func isCompressed(_ path: String) -> Bool { path.hasSuffix(".gz") }

    /// Writes `data` to `path`, compressed if ``isCompressed(_:)``, through a temporary file
    /// renamed into place so a failed write never leaves half a file.
    package static func write(_ data: Data, to path: String) throws {
        let temporary = path + ".partial"
        defer { try? FileManager.default.removeItem(atPath: temporary) }
        if isCompressed(path) {
            // -n: no name or time in the header, so the same trials give the same bytes.
            let output = try run(["-c", "-n"], input: data, path: path)
            try output.write(to: URL(fileURLWithPath: temporary))
        } else {
            try data.write(to: URL(fileURLWithPath: temporary))
        }
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: temporary, toPath: path)
    }

    /// The content of `path`, decompressed if ``isCompressed(_:)``.
    package static func read(_ path: String) throws -> Data {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return isCompressed(path) ? try run(["-d", "-c"], input: data, path: path) : data
    }

    /// `gzip arguments` with `input` on standard input; its standard output.
    private static func run(_ arguments: [String], input: Data, path: String) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip"] + arguments
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Feed stdin from another thread: gzip's output would otherwise fill its pipe while we
        // are still writing, and both sides would wait forever.
        let writer = Thread {
            stdin.fileHandleForWriting.write(input)
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TuningStoreError.gzipFailed(
                path: path, status: process.terminationStatus, message: String(decoding: errors, as: UTF8.self))
        }
        return output
    }
}
