import CUDA
import Foundation
import Runtime
import SparseFormats

/// Checks of the CUDA plumbing (driver, NVRTC, buffers, launches, graphs, cuBLAS, cuSPARSE, the
/// kernel cache) that tests cannot run without a GPU: `sparrow selftest` calls ``run(ordinal:)``
/// on the GPU machine. Each check is independent; a failure is reported, never thrown.
package enum CUDAChecks {
    package static func run(ordinal: Int = 0) -> [SelfTestResult] {
        var results: [SelfTestResult] = []
        func check(_ name: String, _ body: () throws -> String) {
            do {
                results.append(SelfTestResult(group: "cuda", name: name, status: .passed, detail: try body()))
            } catch let error as CUDAError where error.isUnsupported {
                results.append(SelfTestResult(group: "cuda", name: name, status: .skipped, detail: error.description))
            } catch let skip as Skip {
                results.append(SelfTestResult(group: "cuda", name: name, status: .skipped, detail: skip.reason))
            } catch {
                results.append(SelfTestResult(group: "cuda", name: name, status: .failed, detail: "\(error)"))
            }
        }
        let nvrtc: NVRTC
        let context: CUDAContext
        do {
            nvrtc = try NVRTC.shared.get()
            context = try CUDAContext(ordinal: ordinal)
        } catch {
            return [SelfTestResult(group: "cuda", name: "environment", status: .skipped, detail: "\(error)")]
        }
        var properties: DeviceProperties? = nil
        check("device properties") {
            let p = try context.properties()
            properties = p
            guard p.multiprocessorCount > 0, p.warpSize == 32, p.sharedMemoryPerBlockOptIn >= p.sharedMemoryPerBlock else {
                throw Failure("implausible properties: \(p)")
            }
            return "\(p.name) \(p.smArchitecture), \(p.multiprocessorCount) SMs, "
                + "\(p.totalMemoryBytes >> 20) MiB, smem opt-in \(p.sharedMemoryPerBlockOptIn)"
        }
        guard let properties else { return results }
        let target: CompileTarget
        do { target = try nvrtc.target(for: properties.computeCapability) } catch {
            return results + [SelfTestResult(group: "cuda", name: "compile target", status: .failed, detail: "\(error)")]
        }
        let stream: CUDAStream
        do { stream = try CUDAStream(context: context) } catch {
            return results + [SelfTestResult(group: "cuda", name: "stream", status: .failed, detail: "\(error)")]
        }

        check("buffer round trip and memset") {
            let values: [Float] = (0..<1031).map { Float($0) * 0.5 - 7 }
            let buffer = try DeviceBuffer<Float>(context: context, copying: values)
            guard try buffer.download() == values else { throw Failure("download differs from upload") }
            guard try buffer.download(500..<517) == Array(values[500..<517]), try buffer.download(1031..<1031).isEmpty else {
                throw Failure("a range's download differs from the upload's elements")
            }
            try buffer.fillWords(0x7FC0_0000)
            guard try buffer.download().allSatisfy(\.isNaN) else { throw Failure("memset NaN not seen") }
            let empty = try DeviceBuffer<Float>(context: context, count: 0)
            guard try empty.download().isEmpty else { throw Failure("empty buffer not empty") }
            return "1031 floats up/down, a range of them down, NaN fill, empty buffer"
        }

        check("axpy launch") {
            let kernel = try nvrtc.compile(SampleKernels.axpy, target: target)
            let function = try CUDAModule(context: context, kernel: kernel).function("axpy")
            let n = 1037
            let x: [Float] = (0..<n).map { Float($0 % 13) - 6 }
            let y: [Float] = (0..<n).map { Float($0 % 7) * 0.25 }
            let dx = try DeviceBuffer<Float>(context: context, copying: x)
            let dy = try DeviceBuffer<Float>(context: context, copying: y)
            try function.launch(grid: Dim3((n + 127) / 128), block: Dim3(128),
                                arguments: [.float32(2.5), .buffer(dx), .buffer(dy), .int32(Int32(n))])
            let result = try dy.download()
            let wrong = (0..<n).filter { result[$0] != 2.5 * x[$0] + y[$0] }
            guard wrong.isEmpty else { throw Failure("\(wrong.count) wrong, first at \(wrong[0])") }
            let attributes = try function.attributes()
            return "n=\(n) exact; \(attributes.registers) registers, \(attributes.localBytes) local bytes, "
                + "log: \(kernel.resources(of: "axpy").map { "\($0.registers) regs" } ?? "none")"
        }

        check("prepared launch timing") {
            let kernel = try nvrtc.compile(SampleKernels.increment, target: target)
            let function = try CUDAModule(context: context, kernel: kernel).function("increment")
            let n = 1 << 16
            let buffer = try DeviceBuffer<Float>(context: context, copying: [Float](repeating: 0, count: n))
            let launch = try PreparedLaunch(function: function, grid: Dim3(n / 256), block: Dim3(256), stream: stream,
                                            arguments: [.buffer(buffer), .int32(Int32(n))])
            for _ in 0..<55 { try launch.launch(on: stream) }
            try stream.synchronize()
            let values = try buffer.download()
            guard values.allSatisfy({ $0 == 55 }) else { throw Failure("expected 55 after 55 launches, got \(values[0])") }
            let times = try LaunchTiming.samples(stream: stream, warmup: 5, iterations: 20) { try launch.launch(on: stream) }
            guard times.count == 20, times.allSatisfy({ $0 > 0 }) else { throw Failure("bad times \(times)") }
            return String(format: "median %.2f us per launch (batched back to back between events)", Statistics.median(times) * 1e6)
        }

        check("graph capture") {
            let kernel = try nvrtc.compile(SampleKernels.increment, target: target)
            let function = try CUDAModule(context: context, kernel: kernel).function("increment")
            let n = 999
            let buffer = try DeviceBuffer<Float>(context: context, copying: [Float](repeating: 0, count: n))
            let launch = try PreparedLaunch(function: function, grid: Dim3((n + 255) / 256), block: Dim3(256),
                                            stream: stream, arguments: [.buffer(buffer), .int32(Int32(n))])
            let graph = try CUDAGraph(capturing: stream) { try launch.launch(times: 10, on: stream) }
            try graph.launch(on: stream)
            try graph.launch(on: stream)
            try stream.synchronize()
            let values = try buffer.download()
            guard values.allSatisfy({ $0 == 20 }) else { throw Failure("expected 20, got \(values[0])") }
            let perGraph = Statistics.median(try LaunchTiming.samples(stream: stream, warmup: 1, iterations: 20) { try graph.launch(on: stream) })
            return String(format: "2 x 10 captured launches exact; %.2f us per graph of 10", perGraph * 1e6)
        }

        check("cooperative launch") {
            // A grid of one block an SM, launched cooperatively directly and in a graph (the
            // persistent encoder's launch); then a grid no SM can hold (64 blocks of 1,024 threads
            // an SM), which must be refused with CUDA_ERROR_COOPERATIVE_LAUNCH_TOO_LARGE (720)
            // rather than run. The buffer covers the large grid, so even a wrong acceptance
            // writes nothing out of bounds.
            let kernel = try nvrtc.compile(SampleKernels.increment, target: target)
            let function = try CUDAModule(context: context, kernel: kernel).function("increment")
            let sms = properties.multiprocessorCount, n = sms * 64 * 1024
            let buffer = try DeviceBuffer<Float>(context: context, copying: [Float](repeating: 0, count: n))
            let fits = try PreparedLaunch(function: function, grid: Dim3(sms), block: Dim3(256), stream: stream,
                                          arguments: [.buffer(buffer), .int32(Int32(sms * 256))], cooperative: true)
            try fits.launch(on: stream)
            let graph = try CUDAGraph(capturing: stream) { try fits.launch(times: 2, on: stream) }
            try graph.launch(on: stream)
            try stream.synchronize()
            let values = try buffer.download()
            guard values.prefix(sms * 256).allSatisfy({ $0 == 3 }), values.dropFirst(sms * 256).allSatisfy({ $0 == 0 }) else {
                throw Failure("expected 3 in the first \(sms * 256) floats (1 direct + 2 in a graph) and 0 after")
            }
            let tooLarge = try PreparedLaunch(function: function, grid: Dim3(sms * 64), block: Dim3(1024), stream: stream,
                                              arguments: [.buffer(buffer), .int32(Int32(n))], cooperative: true)
            do {
                try tooLarge.launch(on: stream)
                try stream.synchronize()
                throw Failure("the driver ran a cooperative grid of \(sms * 64) blocks of 1,024 threads on \(sms) SMs")
            } catch let CUDAError.driver(_, code, name) where code == 720 {
                return "\(sms) blocks direct and in a graph exact; \(sms * 64) x 1,024 threads refused (\(name))"
            }
        }

        check("dynamic shared memory opt-in") {
            let bytes = min(properties.sharedMemoryPerBlockOptIn, 96 * 1024)
            guard bytes > 48 * 1024 else { throw Skip(reason: "opt-in limit \(bytes) is not above 48 KB") }
            let kernel = try nvrtc.compile(SampleKernels.reverseShared, target: target)
            let function = try CUDAModule(context: context, kernel: kernel).function("reverse_shared")
            let n = bytes / 4
            let input: [Float] = (0..<n).map { Float($0) }
            let din = try DeviceBuffer<Float>(context: context, copying: input)
            let dout = try DeviceBuffer<Float>(context: context, count: n)
            try function.launch(grid: Dim3(1), block: Dim3(256), dynamicSharedBytes: bytes,
                                arguments: [.buffer(din), .buffer(dout), .int32(Int32(n))])
            guard try dout.download() == Array(input.reversed()) else { throw Failure("reversal wrong") }
            return "\(bytes) bytes of dynamic shared memory"
        }

        check("cuBLAS gemm") { try checkGemm(context: context) }
        check("cuSPARSE SpMM") { try checkSpMM(context: context) }

        check("kernel cache") {
            let folder = NSTemporaryDirectory() + "sparrow-selftest-cache-\(getpid())"
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let first = KernelCache(directory: folder)
            let a = try nvrtc.compile(SampleKernels.axpy, target: target, cache: first)
            let second = KernelCache(directory: folder)
            let b = try nvrtc.compile(SampleKernels.axpy, target: target, cache: second)
            guard a == b, second.statistics.diskHits == 1 else { throw Failure("disk entry not reused") }
            _ = try CUDAModule(context: context, kernel: b).function("axpy")
            return "compiled once, reloaded from disk, loaded by the driver"
        }
        return results
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    struct Skip: Error {
        var reason: String
    }
}
