// NVRTC entry points (nvrtc.h, CUDA 12/13). nvrtcResult is an int; nvrtcProgram is an opaque
// pointer. NVRTC needs neither libcuda nor a GPU, so CI compiles kernels with only the wheel.

import SystemLibraries

typealias PFN_nvrtcGetErrorString = @convention(c) (Int32) -> UnsafePointer<CChar>?
typealias PFN_nvrtcVersion = @convention(c) (UnsafeMutablePointer<Int32>?, UnsafeMutablePointer<Int32>?) -> Int32
typealias PFN_nvrtcGetNumSupportedArchs = @convention(c) (UnsafeMutablePointer<Int32>?) -> Int32
typealias PFN_nvrtcGetSupportedArchs = @convention(c) (UnsafeMutablePointer<Int32>?) -> Int32
typealias PFN_nvrtcCreateProgram = @convention(c) (
    UnsafeMutablePointer<OpaquePointer?>?, UnsafePointer<CChar>?, UnsafePointer<CChar>?, Int32,
    UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<UnsafePointer<CChar>?>?
) -> Int32
typealias PFN_nvrtcDestroyProgram = @convention(c) (UnsafeMutablePointer<OpaquePointer?>?) -> Int32
typealias PFN_nvrtcCompileProgram = @convention(c) (
    OpaquePointer?, Int32, UnsafePointer<UnsafePointer<CChar>?>?
) -> Int32
typealias PFN_nvrtcGetSize = @convention(c) (OpaquePointer?, UnsafeMutablePointer<Int>?) -> Int32
typealias PFN_nvrtcGetBytes = @convention(c) (OpaquePointer?, UnsafeMutablePointer<CChar>?) -> Int32

/// NVRTC (libnvrtc), loaded once per process.
package final class NVRTC: @unchecked Sendable {
    // @unchecked: immutable after init; NVRTC is thread-safe for distinct programs.
    package let library: DynamicLibrary
    /// `(major, minor)` from `nvrtcVersion`.
    package let version: (major: Int, minor: Int)
    /// Real architectures this NVRTC can emit CUBIN for (`nvrtcGetSupportedArchs`), e.g. [75, 80, ..., 120].
    package let supportedArchitectures: [Int]
    /// Folder holding `cuda_fp16.h` / `cuda_bf16.h`, passed as `-I`; nil when none was found.
    package let headerFolder: String?
    let getErrorString: PFN_nvrtcGetErrorString
    let createProgram: PFN_nvrtcCreateProgram
    let destroyProgram: PFN_nvrtcDestroyProgram
    let compileProgram: PFN_nvrtcCompileProgram
    let getProgramLogSize: PFN_nvrtcGetSize
    let getProgramLog: PFN_nvrtcGetBytes
    let getPTXSize: PFN_nvrtcGetSize
    let getPTX: PFN_nvrtcGetBytes
    let getCUBINSize: PFN_nvrtcGetSize
    let getCUBIN: PFN_nvrtcGetBytes

    init(library: DynamicLibrary, headerFolder: String?) throws(CUDAError) {
        self.library = library
        self.headerFolder = headerFolder
        getErrorString = try library.function("nvrtcGetErrorString")
        let versionFunction: PFN_nvrtcVersion = try library.function("nvrtcVersion")
        createProgram = try library.function("nvrtcCreateProgram")
        destroyProgram = try library.function("nvrtcDestroyProgram")
        compileProgram = try library.function("nvrtcCompileProgram")
        getProgramLogSize = try library.function("nvrtcGetProgramLogSize")
        getProgramLog = try library.function("nvrtcGetProgramLog")
        getPTXSize = try library.function("nvrtcGetPTXSize")
        getPTX = try library.function("nvrtcGetPTX")
        getCUBINSize = try library.function("nvrtcGetCUBINSize")
        getCUBIN = try library.function("nvrtcGetCUBIN")
        var major: Int32 = 0
        var minor: Int32 = 0
        let versionResult = versionFunction(&major, &minor)
        guard versionResult == 0 else {
            throw .nvrtc(call: "nvrtcVersion", code: versionResult, name: NVRTCStatus.name(versionResult))
        }
        version = (Int(major), Int(minor))
        let getCount: PFN_nvrtcGetNumSupportedArchs = try library.function("nvrtcGetNumSupportedArchs")
        let getArchs: PFN_nvrtcGetSupportedArchs = try library.function("nvrtcGetSupportedArchs")
        var count: Int32 = 0
        var archs: [Int32] = []
        if getCount(&count) == 0, count > 0 {
            archs = [Int32](repeating: 0, count: Int(count))
            if getArchs(&archs) != 0 { archs = [] }
        }
        supportedArchitectures = archs.map(Int.init)
    }

    /// The process-wide NVRTC, found along ``LibrarySearch``, with its header folder.
    package static let shared: Result<NVRTC, CUDAError> = {
        let environment = LibraryLoader.processEnvironment
        let load = LibraryLoader.load(.nvrtc, environment: environment)
        guard let library = load.library else {
            return .failure(.libraryMissing(library: "libnvrtc", reason: load.failureReason))
        }
        let headers = LibrarySearch.headerFolder(
            nvrtcPath: library.resolvedPath, environment: environment, fileSystem: LibraryLoader.realFileSystem,
            sitePackages: LibraryLoader.sitePackages(environment: environment))
        do throws(CUDAError) {
            return .success(try NVRTC(library: library, headerFolder: headers))
        } catch {
            return .failure(error)
        }
    }()

    /// "13.0"-style version string (part of every cache key).
    package var versionString: String { "\(version.major).\(version.minor)" }

    /// Turns an NVRTC result into a thrown ``CUDAError/nvrtc(call:code:name:)``.
    package func check(_ result: Int32, _ call: @autoclosure () -> String) throws(CUDAError) {
        guard result != 0 else { return }
        throw .nvrtc(call: call(), code: result, name: errorName(result))
    }

    /// `nvrtcGetErrorString`, or the built-in table.
    package func errorName(_ code: Int32) -> String {
        getErrorString(code).map { String(cString: $0) } ?? NVRTCStatus.name(code)
    }

    /// The best target for a device of compute capability `computeCapability` (see
    /// ``CompileTarget/best(for:supported:)``).
    package func target(for computeCapability: Int) throws -> CompileTarget {
        try CompileTarget.best(for: computeCapability, supported: supportedArchitectures)
    }
}
