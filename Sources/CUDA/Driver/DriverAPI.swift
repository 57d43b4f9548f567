// C signatures of the driver entry points Sparrow uses (cuda.h, CUDA 12/13), as Swift
// function types. CUresult, CUdevice and the attribute enums are 32-bit ints; CUdeviceptr is
// 64-bit; handles (CUcontext, CUmodule, CUfunction, CUstream, CUevent, CUgraph, CUgraphExec) are
// opaque pointers; size_t is Int. `_v2` names are the ones cuda.h maps the plain names to.

import SystemLibraries

typealias CUResult = Int32
typealias CUHandle = OpaquePointer
typealias CUHandleOut = UnsafeMutablePointer<CUHandle?>

typealias PFN_cuInit = @convention(c) (UInt32) -> CUResult
typealias PFN_cuDriverGetVersion = @convention(c) (UnsafeMutablePointer<Int32>?) -> CUResult
typealias PFN_cuGetErrorName = @convention(c) (CUResult, UnsafeMutablePointer<UnsafePointer<CChar>?>?) -> CUResult
typealias PFN_cuDeviceGetCount = @convention(c) (UnsafeMutablePointer<Int32>?) -> CUResult
typealias PFN_cuDeviceGet = @convention(c) (UnsafeMutablePointer<Int32>?, Int32) -> CUResult
typealias PFN_cuDeviceGetName = @convention(c) (UnsafeMutablePointer<CChar>?, Int32, Int32) -> CUResult
typealias PFN_cuDeviceGetAttribute = @convention(c) (UnsafeMutablePointer<Int32>?, Int32, Int32) -> CUResult
typealias PFN_cuDeviceTotalMem = @convention(c) (UnsafeMutablePointer<Int>?, Int32) -> CUResult
typealias PFN_cuDevicePrimaryCtxRetain = @convention(c) (CUHandleOut?, Int32) -> CUResult
typealias PFN_cuDevicePrimaryCtxRelease = @convention(c) (Int32) -> CUResult
typealias PFN_cuCtxSetCurrent = @convention(c) (CUHandle?) -> CUResult
typealias PFN_cuCtxSynchronize = @convention(c) () -> CUResult
typealias PFN_cuMemGetInfo = @convention(c) (UnsafeMutablePointer<Int>?, UnsafeMutablePointer<Int>?) -> CUResult
typealias PFN_cuMemAlloc = @convention(c) (UnsafeMutablePointer<UInt64>?, Int) -> CUResult
typealias PFN_cuMemFree = @convention(c) (UInt64) -> CUResult
typealias PFN_cuMemcpyHtoD = @convention(c) (UInt64, UnsafeRawPointer?, Int) -> CUResult
typealias PFN_cuMemcpyDtoH = @convention(c) (UnsafeMutableRawPointer?, UInt64, Int) -> CUResult
typealias PFN_cuMemcpyDtoD = @convention(c) (UInt64, UInt64, Int) -> CUResult
typealias PFN_cuMemcpyDtoDAsync = @convention(c) (UInt64, UInt64, Int, CUHandle?) -> CUResult
typealias PFN_cuMemcpyHtoDAsync = @convention(c) (UInt64, UnsafeRawPointer?, Int, CUHandle?) -> CUResult
typealias PFN_cuMemcpyDtoHAsync = @convention(c) (UnsafeMutableRawPointer?, UInt64, Int, CUHandle?) -> CUResult
typealias PFN_cuMemsetD8 = @convention(c) (UInt64, UInt8, Int) -> CUResult
typealias PFN_cuMemsetD32 = @convention(c) (UInt64, UInt32, Int) -> CUResult
typealias PFN_cuMemsetD8Async = @convention(c) (UInt64, UInt8, Int, CUHandle?) -> CUResult
typealias PFN_cuMemsetD32Async = @convention(c) (UInt64, UInt32, Int, CUHandle?) -> CUResult
typealias PFN_cuStreamCreate = @convention(c) (CUHandleOut?, UInt32) -> CUResult
typealias PFN_cuHandleOp = @convention(c) (CUHandle?) -> CUResult
typealias PFN_cuEventCreate = @convention(c) (CUHandleOut?, UInt32) -> CUResult
typealias PFN_cuEventRecord = @convention(c) (CUHandle?, CUHandle?) -> CUResult
typealias PFN_cuEventElapsedTime = @convention(c) (UnsafeMutablePointer<Float>?, CUHandle?, CUHandle?) -> CUResult
typealias PFN_cuModuleLoadData = @convention(c) (CUHandleOut?, UnsafeRawPointer?) -> CUResult
typealias PFN_cuModuleGetFunction = @convention(c) (CUHandleOut?, CUHandle?, UnsafePointer<CChar>?) -> CUResult
typealias PFN_cuFuncGetAttribute = @convention(c) (UnsafeMutablePointer<Int32>?, Int32, CUHandle?) -> CUResult
typealias PFN_cuFuncSetAttribute = @convention(c) (CUHandle?, Int32, Int32) -> CUResult
typealias PFN_cuLaunchKernel = @convention(c) (
    CUHandle?, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, CUHandle?,
    UnsafeMutablePointer<UnsafeMutableRawPointer?>?, UnsafeMutablePointer<UnsafeMutableRawPointer?>?
) -> CUResult
/// `cuLaunchKernelEx(const CUlaunchConfig*, CUfunction, void** params, void** extra)`.
typealias PFN_cuLaunchKernelEx = @convention(c) (
    UnsafeRawPointer?, CUHandle?, UnsafeMutablePointer<UnsafeMutableRawPointer?>?, UnsafeMutablePointer<UnsafeMutableRawPointer?>?
) -> CUResult
typealias PFN_cuStreamBeginCapture = @convention(c) (CUHandle?, Int32) -> CUResult
typealias PFN_cuStreamEndCapture = @convention(c) (CUHandle?, CUHandleOut?) -> CUResult
typealias PFN_cuGraphInstantiateWithFlags = @convention(c) (CUHandleOut?, CUHandle?, UInt64) -> CUResult
typealias PFN_cuGraphLaunch = @convention(c) (CUHandle?, CUHandle?) -> CUResult

/// The CUDA driver (libcuda), loaded once per process.
///
/// Loading never requires a device; ``initialize()`` (`cuInit`) is what fails on a machine
/// with a driver but no usable GPU.
package final class CUDADriver: @unchecked Sendable {
    // @unchecked: every stored property is immutable after init; the driver API is thread-safe.
    /// Where libcuda was found.
    package let library: DynamicLibrary
    let cuInit: PFN_cuInit
    let cuDriverGetVersion: PFN_cuDriverGetVersion
    let cuGetErrorName: PFN_cuGetErrorName
    let cuDeviceGetCount: PFN_cuDeviceGetCount
    let cuDeviceGet: PFN_cuDeviceGet
    let cuDeviceGetName: PFN_cuDeviceGetName
    let cuDeviceGetAttribute: PFN_cuDeviceGetAttribute
    let cuDeviceTotalMem: PFN_cuDeviceTotalMem
    let cuDevicePrimaryCtxRetain: PFN_cuDevicePrimaryCtxRetain
    let cuDevicePrimaryCtxRelease: PFN_cuDevicePrimaryCtxRelease
    let cuCtxSetCurrent: PFN_cuCtxSetCurrent
    let cuCtxSynchronize: PFN_cuCtxSynchronize
    let cuMemGetInfo: PFN_cuMemGetInfo
    let cuMemAlloc: PFN_cuMemAlloc
    let cuMemFree: PFN_cuMemFree
    let cuMemcpyHtoD: PFN_cuMemcpyHtoD
    let cuMemcpyDtoH: PFN_cuMemcpyDtoH
    let cuMemcpyDtoD: PFN_cuMemcpyDtoD
    let cuMemcpyDtoDAsync: PFN_cuMemcpyDtoDAsync
    let cuMemcpyHtoDAsync: PFN_cuMemcpyHtoDAsync
    let cuMemcpyDtoHAsync: PFN_cuMemcpyDtoHAsync
    let cuMemsetD8: PFN_cuMemsetD8
    let cuMemsetD32: PFN_cuMemsetD32
    let cuMemsetD8Async: PFN_cuMemsetD8Async
    let cuMemsetD32Async: PFN_cuMemsetD32Async
    let cuStreamCreate: PFN_cuStreamCreate
    let cuStreamDestroy: PFN_cuHandleOp
    let cuStreamSynchronize: PFN_cuHandleOp
    let cuEventCreate: PFN_cuEventCreate
    let cuEventDestroy: PFN_cuHandleOp
    let cuEventRecord: PFN_cuEventRecord
    let cuEventSynchronize: PFN_cuHandleOp
    let cuEventElapsedTime: PFN_cuEventElapsedTime
    let cuModuleLoadData: PFN_cuModuleLoadData
    let cuModuleUnload: PFN_cuHandleOp
    let cuModuleGetFunction: PFN_cuModuleGetFunction
    let cuFuncGetAttribute: PFN_cuFuncGetAttribute
    let cuFuncSetAttribute: PFN_cuFuncSetAttribute
    let cuLaunchKernel: PFN_cuLaunchKernel
    /// CUDA 12.0 on: launches with attributes (programmatic dependent launch).
    let cuLaunchKernelEx: PFN_cuLaunchKernelEx?
    let cuStreamBeginCapture: PFN_cuStreamBeginCapture?
    let cuStreamEndCapture: PFN_cuStreamEndCapture?
    let cuGraphInstantiateWithFlags: PFN_cuGraphInstantiateWithFlags?
    let cuGraphLaunch: PFN_cuGraphLaunch?
    let cuGraphExecDestroy: PFN_cuHandleOp?
    let cuGraphDestroy: PFN_cuHandleOp?
    /// `cuInit(0)`'s result, kept so that every later use reports the same reason.
    let initResult: CUResult

    init(library: DynamicLibrary) throws(CUDAError) {
        self.library = library
        cuInit = try library.function("cuInit")
        cuDriverGetVersion = try library.function("cuDriverGetVersion")
        cuGetErrorName = try library.function("cuGetErrorName")
        cuDeviceGetCount = try library.function("cuDeviceGetCount")
        cuDeviceGet = try library.function("cuDeviceGet")
        cuDeviceGetName = try library.function("cuDeviceGetName")
        cuDeviceGetAttribute = try library.function("cuDeviceGetAttribute")
        cuDeviceTotalMem = try library.function("cuDeviceTotalMem_v2")
        cuDevicePrimaryCtxRetain = try library.function("cuDevicePrimaryCtxRetain")
        cuDevicePrimaryCtxRelease = try library.function("cuDevicePrimaryCtxRelease_v2")
        cuCtxSetCurrent = try library.function("cuCtxSetCurrent")
        cuCtxSynchronize = try library.function("cuCtxSynchronize")
        cuMemGetInfo = try library.function("cuMemGetInfo_v2")
        cuMemAlloc = try library.function("cuMemAlloc_v2")
        cuMemFree = try library.function("cuMemFree_v2")
        cuMemcpyHtoD = try library.function("cuMemcpyHtoD_v2")
        cuMemcpyDtoH = try library.function("cuMemcpyDtoH_v2")
        cuMemcpyDtoD = try library.function("cuMemcpyDtoD_v2")
        cuMemcpyDtoDAsync = try library.function("cuMemcpyDtoDAsync_v2")
        cuMemcpyHtoDAsync = try library.function("cuMemcpyHtoDAsync_v2")
        cuMemcpyDtoHAsync = try library.function("cuMemcpyDtoHAsync_v2")
        cuMemsetD8 = try library.function("cuMemsetD8_v2")
        cuMemsetD32 = try library.function("cuMemsetD32_v2")
        cuMemsetD8Async = try library.function("cuMemsetD8Async")
        cuMemsetD32Async = try library.function("cuMemsetD32Async")
        cuStreamCreate = try library.function("cuStreamCreate")
        cuStreamDestroy = try library.function("cuStreamDestroy_v2")
        cuStreamSynchronize = try library.function("cuStreamSynchronize")
        cuEventCreate = try library.function("cuEventCreate")
        cuEventDestroy = try library.function("cuEventDestroy_v2")
        cuEventRecord = try library.function("cuEventRecord")
        cuEventSynchronize = try library.function("cuEventSynchronize")
        // CUDA 12.8+ maps cuEventElapsedTime to _v2; older drivers only have the plain name.
        if let v2: PFN_cuEventElapsedTime = library.symbol("cuEventElapsedTime_v2") {
            cuEventElapsedTime = v2
        } else {
            cuEventElapsedTime = try library.function("cuEventElapsedTime")
        }
        cuModuleLoadData = try library.function("cuModuleLoadData")
        cuModuleUnload = try library.function("cuModuleUnload")
        cuModuleGetFunction = try library.function("cuModuleGetFunction")
        cuFuncGetAttribute = try library.function("cuFuncGetAttribute")
        cuFuncSetAttribute = try library.function("cuFuncSetAttribute")
        cuLaunchKernel = try library.function("cuLaunchKernel")
        cuLaunchKernelEx = library.symbol("cuLaunchKernelEx")
        cuStreamBeginCapture = library.symbol("cuStreamBeginCapture_v2")
        cuStreamEndCapture = library.symbol("cuStreamEndCapture")
        cuGraphInstantiateWithFlags = library.symbol("cuGraphInstantiateWithFlags")
        cuGraphLaunch = library.symbol("cuGraphLaunch")
        cuGraphExecDestroy = library.symbol("cuGraphExecDestroy")
        cuGraphDestroy = library.symbol("cuGraphDestroy")
        initResult = cuInit(0)
    }

    /// The process-wide driver: loaded on first use along ``LibrarySearch``, then kept.
    package static let shared: Result<CUDADriver, CUDAError> = {
        let load = LibraryLoader.load(.driver)
        guard let library = load.library else {
            return .failure(.libraryMissing(library: "libcuda", reason: load.failureReason))
        }
        do throws(CUDAError) {
            return .success(try CUDADriver(library: library))
        } catch {
            return .failure(error)
        }
    }()

    /// The loaded driver, initialised.
    /// - Throws: ``CUDAError/libraryMissing(library:reason:)`` or the `cuInit` failure.
    package static func initialized() throws(CUDAError) -> CUDADriver {
        let driver = try shared.get()
        try driver.initialize()
        return driver
    }

    /// Throws `cuInit`'s failure, if it failed (no device, stub library, driver mismatch).
    package func initialize() throws(CUDAError) {
        try check(initResult, "cuInit")
    }

    /// `cuDriverGetVersion` as (major, minor), e.g. (13, 0); works before `cuInit`.
    package func version() throws(CUDAError) -> (major: Int, minor: Int) {
        var raw: Int32 = 0
        try check(cuDriverGetVersion(&raw), "cuDriverGetVersion")
        return (Int(raw) / 1000, Int(raw) % 1000 / 10)
    }

    /// Number of CUDA devices (0 when `cuInit` failed with CUDA_ERROR_NO_DEVICE).
    package func deviceCount() throws(CUDAError) -> Int {
        if initResult == 100 { return 0 }
        try initialize()
        var count: Int32 = 0
        try check(cuDeviceGetCount(&count), "cuDeviceGetCount")
        return Int(count)
    }

    /// Turns a driver result into a thrown ``CUDAError/driver(call:code:name:)``.
    @inline(__always)
    package func check(_ result: Int32, _ call: @autoclosure () -> String) throws(CUDAError) {
        guard result != 0 else { return }
        throw .driver(call: call(), code: result, name: errorName(result))
    }

    /// `cuGetErrorName`, or the built-in table when the driver does not know the code.
    package func errorName(_ code: Int32) -> String {
        var name: UnsafePointer<CChar>? = nil
        if cuGetErrorName(code, &name) == 0, let name { return String(cString: name) }
        return DriverStatus.name(code)
    }
}
