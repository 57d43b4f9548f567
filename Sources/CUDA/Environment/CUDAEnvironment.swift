/// One run-time library as `sparrow doctor` reports it.
package struct LibraryReport: Codable, Hashable, Sendable {
    package var name: String
    package var found: Bool
    /// The file it was loaded from (a bare soname when the loader found it).
    package var path: String?
    package var version: String?
    /// Why it is missing or unusable (one line), when it is.
    package var reason: String?
}

/// Everything `sparrow doctor` prints about CUDA. Codable, so it can be written as JSON.
package struct CUDAEnvironmentReport: Codable, Hashable, Sendable {
    package var driver: LibraryReport
    package var nvrtc: LibraryReport
    package var cublas: LibraryReport
    package var cusparse: LibraryReport
    /// cuSPARSELt (2:4 sparse tensor cores), a baseline only: nil in reports written before it was probed.
    package var cusparseLt: LibraryReport?
    /// Real architectures NVRTC can emit CUBIN for.
    package var nvrtcSupportedArchitectures: [Int]
    /// Where `cuda_fp16.h` was found for NVRTC; nil when it was not.
    package var nvrtcHeaderFolder: String?
    package var devices: [DeviceProperties]
    /// Why devices could not be listed, when they could not.
    package var deviceError: String?
    /// nil when kernels can run on the GPU; otherwise one line saying why not.
    package var gpuUnavailableReason: String?
    package var kernelCacheDirectory: String
}

/// Probes the machine for CUDA without ever throwing: missing pieces are reported.
package enum CUDAEnvironment {
    /// Loads (or finds already loaded) each library and lists the GPUs.
    package static func probe() -> CUDAEnvironmentReport {
        var driverReport = LibraryReport(name: "libcuda", found: false)
        var devices: [DeviceProperties] = []
        var deviceError: String? = nil
        switch CUDADriver.shared {
        case .failure(let error):
            driverReport.reason = error.description
        case .success(let driver):
            driverReport.found = true
            driverReport.path = driver.library.resolvedPath
            if let version = try? driver.version() { driverReport.version = "\(version.major).\(version.minor)" }
            do {
                let count = try driver.deviceCount()
                if count == 0 { deviceError = "the driver reports no CUDA device" }
                for ordinal in 0..<count {
                    devices.append(try CUDAContext(ordinal: ordinal).properties())
                }
            } catch {
                deviceError = "\(error)"
            }
        }

        var nvrtcReport = LibraryReport(name: "libnvrtc", found: false)
        var architectures: [Int] = []
        var headers: String? = nil
        switch NVRTC.shared {
        case .failure(let error):
            nvrtcReport.reason = error.description
        case .success(let nvrtc):
            nvrtcReport.found = true
            nvrtcReport.path = nvrtc.library.resolvedPath
            nvrtcReport.version = nvrtc.versionString
            architectures = nvrtc.supportedArchitectures
            headers = nvrtc.headerFolder
            if headers == nil { nvrtcReport.reason = "cuda_fp16.h not found: fp16/bf16 kernels will not compile" }
        }

        let cublasReport = report("libcublas", CUBLASLibrary.shared, path: { $0.library.resolvedPath }, version: { try? $0.version() })
        let cusparseReport = report("libcusparse", CUSPARSELibrary.shared, path: { $0.library.resolvedPath }, version: { try? $0.version() })
        let cusparseLtReport = report("libcusparseLt", CUSPARSELtLibrary.shared, path: { $0.library.resolvedPath }, version: { try? $0.version() })

        return CUDAEnvironmentReport(
            driver: driverReport, nvrtc: nvrtcReport, cublas: cublasReport, cusparse: cusparseReport, cusparseLt: cusparseLtReport,
            nvrtcSupportedArchitectures: architectures, nvrtcHeaderFolder: headers, devices: devices,
            deviceError: deviceError,
            gpuUnavailableReason: unavailableReason(driver: driverReport, nvrtc: nvrtcReport, devices: devices,
                                                    deviceError: deviceError),
            kernelCacheDirectory: KernelCache.defaultDirectory())
    }

    /// A library loaded once per process (`shared`): where it was found and its version, or why not.
    static func report<Library>(
        _ name: String, _ loaded: Result<Library, CUDAError>, path: (Library) -> String?, version: (Library) -> String?
    ) -> LibraryReport {
        var report = LibraryReport(name: name, found: false)
        switch loaded {
        case .failure(let error): report.reason = error.description
        case .success(let library):
            report.found = true
            report.path = path(library)
            report.version = version(library)
        }
        return report
    }

    /// nil when the GPU path can run (driver, a device, NVRTC); otherwise one line for the
    /// CPU-fallback message. Cheaper than ``probe()``: it does not load cuBLAS or cuSPARSE.
    package static var gpuUnavailableReason: String? {
        let driverResult = CUDADriver.shared
        if case .failure(let error) = driverResult { return "GPU not used: \(error.description)" }
        if case .success(let driver) = driverResult {
            do {
                if try driver.deviceCount() == 0 { return "GPU not used: the CUDA driver reports no device" }
            } catch {
                return "GPU not used: \(error)"
            }
        }
        if case .failure(let error) = NVRTC.shared { return "GPU not used: \(error.description)" }
        return nil
    }

    static func unavailableReason(driver: LibraryReport, nvrtc: LibraryReport, devices: [DeviceProperties],
                                  deviceError: String?) -> String? {
        if !driver.found { return "GPU not used: \(driver.reason ?? "libcuda not found")" }
        if devices.isEmpty { return "GPU not used: \(deviceError ?? "no CUDA device")" }
        if !nvrtc.found { return "GPU not used: \(nvrtc.reason ?? "libnvrtc not found")" }
        return nil
    }
}
