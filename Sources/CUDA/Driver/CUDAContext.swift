/// One GPU and its primary context.
///
/// Uses `cuDevicePrimaryCtxRetain` + `cuCtxSetCurrent` (stable across CUDA 12 and 13, unlike
/// `cuCtxCreate`, whose signature changed in 13), so cuBLAS and cuSPARSE share the context.
/// Every operation makes the context current on the calling thread first, since Swift tasks
/// may hop threads between calls.
package final class CUDAContext: @unchecked Sendable {
    // @unchecked: immutable after init; the driver serialises use of a context internally.
    /// The driver this context belongs to.
    package let driver: CUDADriver
    /// Device ordinal (0 for the first GPU).
    package let ordinal: Int
    let device: Int32
    let context: CUHandle

    /// Retains the primary context of device `ordinal` and makes it current.
    /// - Throws: ``CUDAError/noDevice(reason:)`` when the driver is missing or there is no such device.
    package init(ordinal: Int = 0) throws {
        let driver: CUDADriver
        do {
            driver = try CUDADriver.initialized()
        } catch {
            throw CUDAError.noDevice(reason: error.description)
        }
        let count = try driver.deviceCount()
        guard ordinal >= 0, ordinal < count else {
            throw CUDAError.noDevice(reason: "device \(ordinal) requested, \(count) present")
        }
        var device: Int32 = 0
        try driver.check(driver.cuDeviceGet(&device, Int32(ordinal)), "cuDeviceGet(\(ordinal))")
        var context: CUHandle? = nil
        try driver.check(driver.cuDevicePrimaryCtxRetain(&context, device), "cuDevicePrimaryCtxRetain")
        guard let context else {
            throw CUDAError.driver(call: "cuDevicePrimaryCtxRetain", code: 0, name: "null context")
        }
        self.driver = driver
        self.ordinal = ordinal
        self.device = device
        self.context = context
        try makeCurrent()
    }

    deinit {
        _ = driver.cuDevicePrimaryCtxRelease(device)
    }

    /// Binds the context to the calling thread (`cuCtxSetCurrent`, a thread-local store).
    @inline(__always)
    package func makeCurrent() throws {
        try driver.check(driver.cuCtxSetCurrent(context), "cuCtxSetCurrent")
    }

    /// Waits for all work on the device (`cuCtxSynchronize`).
    package func synchronize() throws {
        try makeCurrent()
        try driver.check(driver.cuCtxSynchronize(), "cuCtxSynchronize")
    }

    /// Properties of this context's device.
    package func properties() throws -> DeviceProperties {
        try DeviceProperties(driver: driver, device: device, ordinal: ordinal)
    }
}
