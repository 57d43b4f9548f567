import Foundation

/// Options that change the compiled binary (all of them enter the cache key).
package struct CompileOptions: Hashable, Codable, Sendable {
    /// `--std=` value.
    package var languageStandard: String
    /// Adds `--ptxas-options=-v` (CUBIN only) so the log reports registers, spills and shared memory.
    package var verbosePtxas: Bool
    /// More `-I` folders, searched after the discovered CUDA headers.
    package var includeFolders: [String]
    /// Anything else, passed through (e.g. `-default-device`, `--use_fast_math`, `-lineinfo`,
    /// `--maxrregcount=64`). Do not pass `-O3`: NVRTC rejects it and optimises by default.
    package var extraOptions: [String]

    package init(languageStandard: String = "c++17", verbosePtxas: Bool = true, includeFolders: [String] = [],
                extraOptions: [String] = []) {
        self.languageStandard = languageStandard
        self.verbosePtxas = verbosePtxas
        self.includeFolders = includeFolders
        self.extraOptions = extraOptions
    }

    /// The NVRTC command line for `target`, with `headerFolder` (the CUDA headers) first.
    package func commandLine(target: CompileTarget, headerFolder: String?) -> [String] {
        var line = ["--gpu-architecture=\(target.architectureName)", "--std=\(languageStandard)"]
        if let headerFolder { line.append("-I\(headerFolder)") }
        line += includeFolders.map { "-I\($0)" }
        if verbosePtxas && target.format == .cubin { line.append("--ptxas-options=-v") }
        line += extraOptions
        return line
    }
}

extension NVRTC {
    /// Compiles CUDA C++ `source` for `target` (CUBIN: `nvrtcGetCUBIN`, PTX: `nvrtcGetPTX`).
    ///
    /// - Parameter name: the file name NVRTC shows in diagnostics.
    /// - Throws: ``CUDAError/compileFailed(log:sourceDump:)`` with the log and the path of a
    ///   copy of the source when NVRTC rejects it (or its options); ``CUDAError/nvrtc(call:code:name:)``
    ///   for other failures.
    package func compile(
        _ source: String, name: String = "sparrow_kernel.cu", target: CompileTarget,
        options: CompileOptions = CompileOptions()
    ) throws -> CompiledKernel {
        var program: OpaquePointer? = nil
        try check(createProgram(&program, source, name, 0, nil, nil), "nvrtcCreateProgram")
        defer { _ = destroyProgram(&program) }
        let arguments = options.commandLine(target: target, headerFolder: headerFolder)
        let result = withCStrings(arguments) { pointers in
            compileProgram(program, Int32(pointers.count), pointers.baseAddress)
        }
        let log = try programLog(program)
        guard result == 0 else {
            if result == NVRTCStatus.compilation || result == 5 /* NVRTC_ERROR_INVALID_OPTION */ {
                let header = "// nvrtc \(versionString) \(arguments.joined(separator: " "))\n"
                let dump = NVRTC.dumpFailedSource(header + source, log: log)
                throw CUDAError.compileFailed(log: "\(errorName(result)): \(log)", sourceDump: dump)
            }
            try check(result, "nvrtcCompileProgram")
            return CompiledKernel(image: [], target: target, log: log, compilerVersion: versionString)
        }
        let image: [UInt8]
        switch target.format {
        case .cubin: image = try bytes(program, size: getCUBINSize, get: getCUBIN, what: "CUBIN")
        case .ptx: image = try bytes(program, size: getPTXSize, get: getPTX, what: "PTX")
        }
        return CompiledKernel(image: image, target: target, log: log, compilerVersion: versionString)
    }

    private func programLog(_ program: OpaquePointer?) throws -> String {
        let raw = try bytes(program, size: getProgramLogSize, get: getProgramLog, what: "ProgramLog")
        return String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
    }

    private func bytes(
        _ program: OpaquePointer?, size: PFN_nvrtcGetSize, get: PFN_nvrtcGetBytes, what: String
    ) throws -> [UInt8] {
        var count = 0
        try check(size(program, &count), "nvrtcGet\(what)Size")
        guard count > 0 else { return [] }
        var buffer = [CChar](repeating: 0, count: count)
        try check(get(program, &buffer), "nvrtcGet\(what)")
        return buffer.map { UInt8(bitPattern: $0) }
    }

    /// Writes `source` and `log` to `$TMPDIR/sparrow-nvrtc/<hash>.cu` (and `.log`); returns
    /// the source's path, or "" when the folder cannot be written.
    static func dumpFailedSource(_ source: String, log: String) -> String {
        var hasher = StableHasher()
        hasher.combine(source)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sparrow-nvrtc")
        let file = folder.appendingPathComponent(String(hasher.hexDigest.prefix(16)) + ".cu")
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(source.utf8).write(to: file, options: .atomic)
            try Data(log.utf8).write(to: file.deletingPathExtension().appendingPathExtension("log"), options: .atomic)
            return file.path
        } catch {
            return ""
        }
    }
}

/// Calls `body` with a C array of NUL-terminated copies of `strings`, valid during the call.
func withCStrings<R>(_ strings: [String], _ body: (UnsafeBufferPointer<UnsafePointer<CChar>?>) -> R) -> R {
    let copies = strings.map { string -> UnsafeMutablePointer<CChar> in
        let utf8 = Array(string.utf8CString)
        let pointer = UnsafeMutablePointer<CChar>.allocate(capacity: utf8.count)
        pointer.initialize(from: utf8, count: utf8.count)
        return pointer
    }
    defer { copies.forEach { $0.deallocate() } }
    let pointers = copies.map { UnsafePointer<CChar>?($0) }
    return pointers.withUnsafeBufferPointer(body)
}
