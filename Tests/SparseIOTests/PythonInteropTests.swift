import Foundation
import SparseFormats
import Testing
@testable import SparseIO

/// Runs `$SPARROW_PYTHON` (else `python3` on PATH) with arguments; returns the exit status and
/// combined output.
func runPython(_ arguments: [String]) -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [ProcessInfo.processInfo.environment["SPARROW_PYTHON"] ?? "python3"] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    do { try process.run() } catch { return (-1, "cannot start python3: \(error)") }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// Whether python3 with numpy, scipy and safetensors can run the interop script.
let pythonInteropAvailable: Bool = runPython(["-c", "import numpy, scipy, safetensors"]).status == 0

let interopScript = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Python/interop.py").path

func scratchDirectory(_ label: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("sparrow-\(label)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Row-major dense values of a sparse matrix (duplicates summed).
func denseValues(_ matrix: AnySparseMatrix) -> [Double] {
    var out = [Double](repeating: 0, count: matrix.rows * matrix.columns)
    for entry in matrix.coordinates() { out[entry.row * matrix.columns + entry.column] += entry.value }
    return out
}

/// Values travel as decimal strings, parsed exactly (Foundation's JSON number parsing can be off by an ulp).
func exactDoubles(_ value: Any?) -> [Double]? {
    (value as? [String])?.compactMap { Double($0) }
}

/// The strings Python parses back exactly.
func exactStrings(_ values: [Double]) -> [String] { values.map { $0.description } }

let numpyNames: [TensorDType: String] = [
    .f16: "float16", .f32: "float32", .f64: "float64", .i32: "int32", .i64: "int64", .bool: "bool",
    .i8: "int8", .i16: "int16", .u8: "uint8",
]

func expectTensor(_ tensor: AnyDenseTensor?, matches entry: [String: Any], _ label: String) {
    guard let tensor else { Issue.record("\(label): missing"); return }
    #expect(numpyNames[tensor.dtype] == entry["dtype"] as? String, "\(label) dtype")
    #expect(tensor.shape == entry["shape"] as? [Int], "\(label) shape")
    #expect(tensor.doubles() == exactDoubles(entry["values"]), "\(label) values")
}

@Suite("Python interop", .enabled(if: pythonInteropAvailable, "needs python3 with numpy, scipy and safetensors (pip install safetensors)"))
struct PythonInteropTests {
    @Test func swiftReadsWhatPythonWrites() throws {
        let folder = try scratchDirectory("py2swift")
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = runPython([interopScript, "write", folder.path])
        try #require(run.status == 0, "interop.py write failed: \(run.output)")
        let expected = try #require(JSONSerialization.jsonObject(
            with: Data(contentsOf: folder.appendingPathComponent("expected.json"))) as? [String: [String: Any]])
        #expect(expected.count > 40)
        for (name, entry) in expected.sorted(by: { $0.key < $1.key }) {
            let content = try SparseFile.read(folder.appendingPathComponent(name).path)
            switch content {
            case let .sparse(matrix):
                #expect([matrix.rows, matrix.columns] == entry["shape"] as? [Int], "\(name) shape")
                #expect(denseValues(matrix) == exactDoubles(entry["dense"]), "\(name) values")
                // Matrix Market gives CSR whatever scipy's format; npz keeps it.
                if name.hasSuffix(".npz") { #expect(matrix.formatName == entry["format"] as? String, "\(name) format") }
            case let .dense(tensor):
                expectTensor(tensor, matches: entry, name)
            case let .tensors(tensors):
                let want = try #require(entry["tensors"] as? [String: [String: Any]])
                #expect(Set(tensors.names) == Set(want.keys), "\(name) names")
                for (key, value) in want { expectTensor(tensors[key], matches: value, "\(name):\(key)") }
                #expect(tensors.metadata == (entry["metadata"] as? [String: String] ?? [:]), "\(name) metadata")
            }
        }
    }

    @Test func pythonReadsWhatSwiftWrites() throws {
        let folder = try scratchDirectory("swift2py")
        defer { try? FileManager.default.removeItem(at: folder) }
        var spec: [String: Any] = [:]
        func put(_ name: String, _ content: LoadedFile, _ entry: [String: Any]) throws {
            try SparseFile.write(content, to: folder.appendingPathComponent(name).path)
            spec[name] = entry
        }
        func sparseEntry(_ m: AnySparseMatrix, dtype: String) -> [String: Any] {
            ["shape": [m.rows, m.columns], "dense": exactStrings(denseValues(m)), "format": m.formatName, "dtype": dtype]
        }
        for (label, csr) in sampleCSRs() {
            let f32 = AnySparseMatrix(csr)
            let f64 = AnySparseMatrix(AnyCSRMatrix(csr).converted(to: Double.self))
            try put("csr_\(label)_f32.npz", .sparse(f32), sparseEntry(f32, dtype: "float32"))
            try put("csr_\(label)_f64.npz", .sparse(f64), sparseEntry(f64, dtype: "float64"))
            try put("csr_\(label).mtx", .sparse(f32), sparseEntry(f32, dtype: "float32"))
        }
        for (label, bsr) in sampleBSRs() {
            let m = AnySparseMatrix(bsr)
            try put("bsr_\(label).npz", .sparse(m), sparseEntry(m, dtype: "float32"))
            try put("bsr_\(label).mtx", .sparse(m), sparseEntry(m, dtype: "float32"))
        }
        var tensors = TensorCollection(metadata: ["source": "sparrow", "quote\"d": "line\nbreak"])
        for tensor in sampleTensors() where tensor.dtype != .bf16 {
            let name = "npy_\(tensor.dtype.rawValue)_\(tensor.shape.map(String.init).joined(separator: "x"))"
            let entry: [String: Any] = ["dtype": numpyNames[tensor.dtype] ?? "?", "shape": tensor.shape, "values": exactStrings(tensor.doubles())]
            if tensor.dtype.npyDescr != nil { try put(name + ".npy", .dense(tensor), entry) }
            tensors.append(name, tensor)
        }
        let tensorEntries = Dictionary(uniqueKeysWithValues: tensors.names.compactMap { name in
            tensors[name].map { (name, ["dtype": numpyNames[$0.dtype] ?? "?", "shape": $0.shape, "values": exactStrings($0.doubles())] as [String: Any]) }
        })
        try put("all.safetensors", .tensors(tensors), ["tensors": tensorEntries, "metadata": tensors.metadata])
        var npzTensors = TensorCollection()
        for name in tensors.names { if let t = tensors[name], t.dtype.npyDescr != nil { npzTensors.append(name, t) } }
        try put("plain.npz", .tensors(npzTensors), ["tensors": tensorEntries.filter { npzTensors[$0.key] != nil }])
        try JSONSerialization.data(withJSONObject: spec).write(to: folder.appendingPathComponent("swift.json"))
        let run = runPython([interopScript, "check", folder.path])
        #expect(run.status == 0, "interop.py check: \(run.output)")
        #expect(run.output.contains("checked \(spec.count) files"))
    }
}
