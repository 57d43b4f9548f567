import Foundation
import Testing
@testable import CUDA

@Suite struct KernelCacheTests {
    let target = CompileTarget(format: .cubin, computeCapability: 90)

    func key(source: String = "src", options: CompileOptions = CompileOptions(), target: CompileTarget? = nil,
             version: String = "13.0", headers: String? = "/inc") -> KernelCacheKey {
        KernelCacheKey(source: source, options: options, target: target ?? self.target, compilerVersion: version,
                       headerFolder: headers)
    }

    func fakeKernel(_ tag: UInt8) -> CompiledKernel {
        CompiledKernel(image: [0x7F, 0x45, 0x4C, 0x46] + [UInt8](repeating: tag, count: 300), target: target,
                       log: "ptxas info    : Used \(tag) registers", compilerVersion: "13.0")
    }

    func temporaryFolder() -> String {
        NSTemporaryDirectory() + "sparrow-cache-test-\(UUID().uuidString)"
    }

    @Test func keyIsStableAndSensitiveToEveryInput() {
        let base = key()
        #expect(base == key())
        #expect(base.digest.count == 32)
        #expect(base.digest.allSatisfy { $0.isHexDigit })
        let variants = [
            key(source: "src "),
            key(options: CompileOptions(extraOptions: ["-default-device"])),
            key(options: CompileOptions(languageStandard: "c++20")),
            key(options: CompileOptions(verbosePtxas: false)),
            key(target: CompileTarget(format: .cubin, computeCapability: 80)),
            key(target: CompileTarget(format: .ptx, computeCapability: 90)),
            key(version: "13.1"),
            key(headers: "/other"),
        ]
        for variant in variants { #expect(variant != base) }
        #expect(Set(variants).count == variants.count)
    }

    @Test func knownDigestNeverChanges() {
        // Pinned: a change here silently invalidates every user's cache; change it on purpose only.
        var hasher = StableHasher()
        hasher.combine(bytes: Array("a".utf8))
        #expect(hasher.hexDigest == "d228cb696f1a8caf78912b704e4a8964")
        #expect(StableHasher.fnv1a64(Array("a".utf8)) == 0xaf63dc4c8601ec8c)
    }

    @Test func memoryThenDiskThenCompile() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let cache = KernelCache(directory: folder)
        var compiles = 0
        let first = try cache.kernel(for: key()) { compiles += 1; return fakeKernel(1) }
        let second = try cache.kernel(for: key()) { compiles += 1; return fakeKernel(2) }
        #expect(first == second)
        #expect(compiles == 1)
        #expect(cache.statistics.memoryHits == 1)
        let entryPath = try #require(cache.path(for: key()))
        #expect(FileManager.default.fileExists(atPath: entryPath))
        // No temporary files are left behind.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder)
        #expect(leftovers == [key().digest + ".kernel"])

        let fresh = KernelCache(directory: folder)
        let fromDisk = try fresh.kernel(for: key()) { compiles += 1; return fakeKernel(3) }
        #expect(fromDisk == first)
        #expect(compiles == 1)
        #expect(fresh.statistics.diskHits == 1)
        #expect(fromDisk.resources.first?.registers == 1)
    }

    @Test(arguments: ["truncate", "flip", "empty", "garbage", "header"])
    func corruptEntryIsDetectedDeletedAndRebuilt(damage: String) throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try KernelCache(directory: folder).kernel(for: key()) { fakeKernel(1) }
        let path = try #require(KernelCache(directory: folder).path(for: key()))
        var bytes = [UInt8](try #require(FileManager.default.contents(atPath: path)))
        switch damage {
        case "truncate": bytes.removeLast(17)
        case "flip": bytes[bytes.count - 5] ^= 0x40
        case "empty": bytes = []
        case "garbage": bytes = [UInt8](repeating: 0x41, count: 500)
        default: bytes[9] ^= 1  // format version
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let cache = KernelCache(directory: folder)
        var compiles = 0
        let rebuilt = try cache.kernel(for: key()) { compiles += 1; return fakeKernel(7) }
        #expect(compiles == 1)
        #expect(rebuilt == fakeKernel(7))
        #expect(cache.statistics.corruptEntries == 1)
        // The rebuilt entry is valid again.
        let again = KernelCache(directory: folder)
        #expect(try again.kernel(for: key()) { fakeKernel(8) } == fakeKernel(7))
        #expect(again.statistics.diskHits == 1)
    }

    @Test func entryUnderTheWrongKeyIsRejected() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let cache = KernelCache(directory: folder)
        _ = try cache.kernel(for: key(source: "a")) { fakeKernel(1) }
        let pathA = try #require(cache.path(for: key(source: "a")))
        let pathB = try #require(cache.path(for: key(source: "b")))
        try FileManager.default.copyItem(atPath: pathA, toPath: pathB)
        let fresh = KernelCache(directory: folder)
        let b = try fresh.kernel(for: key(source: "b")) { fakeKernel(2) }
        #expect(b == fakeKernel(2))
        #expect(fresh.statistics.corruptEntries == 1)
    }

    @Test func roundTripKeepsEveryField() throws {
        let kernel = CompiledKernel(image: Array("// ptx\n.version 8.0".utf8), target: CompileTarget(format: .ptx, computeCapability: 120),
                                    log: "", compilerVersion: "12.8")
        let decoded = try KernelCacheEntry.decode(KernelCacheEntry.encode(kernel, key: key()), key: key())
        #expect(decoded == kernel)
        let emptyImage = CompiledKernel(image: [], target: target, log: "é ünïcode", compilerVersion: "13.0")
        #expect(try KernelCacheEntry.decode(KernelCacheEntry.encode(emptyImage, key: key()), key: key()) == emptyImage)
    }

    @Test func compileErrorsPropagateAndAreNotCached() throws {
        let cache = KernelCache(directory: nil)
        #expect(throws: CUDAError.self) {
            try cache.kernel(for: key()) { throw CUDAError.compileFailed(log: "x", sourceDump: "") }
        }
        #expect(try cache.kernel(for: key()) { fakeKernel(4) } == fakeKernel(4))
        #expect(cache.statistics.compiles == 1)
    }

    @Test func unwritableFolderStillReturnsTheKernel() throws {
        let cache = KernelCache(directory: "/proc/sparrow-cannot-write-here")
        #expect(try cache.kernel(for: key()) { fakeKernel(5) } == fakeKernel(5))
        #expect(cache.statistics.writeFailures == 1)
    }

    @Test func defaultDirectory() {
        #expect(KernelCache.defaultDirectory(environment: ["SPARROW_CACHE_DIR": "/c", "HOME": "/h"]) == "/c")
        #expect(KernelCache.defaultDirectory(environment: ["HOME": "/h"]) == "/h/.cache/sparrow/kernels")
        #expect(KernelCache.defaultDirectory(environment: ["XDG_CACHE_HOME": "/x", "HOME": "/h"]) == "/x/sparrow/kernels")
    }
}

@Suite struct CompileTargetTests {
    let supported = [75, 80, 86, 87, 88, 89, 90, 100, 103, 107, 110, 120, 121]

    @Test func cubinForSupportedArchitectures() throws {
        #expect(try CompileTarget.best(for: 90, supported: supported) == CompileTarget(format: .cubin, computeCapability: 90))
        #expect(try CompileTarget.best(for: 80, supported: supported).architectureName == "sm_80")
        #expect(try CompileTarget.best(for: 90, supported: []).format == .cubin)
    }

    @Test func ptxForNewerDevicesAndErrorForOlderOnes() throws {
        let newer = try CompileTarget.best(for: 130, supported: supported)
        #expect(newer == CompileTarget(format: .ptx, computeCapability: 121))
        #expect(newer.architectureName == "compute_121")
        #expect(try CompileTarget.best(for: 91, supported: supported).architectureName == "compute_90")
        // CUBIN for 9.0 is the architecture-specific sm_90a (wgmma); other CUBINs and all PTX are plain.
        #expect(CompileTarget(format: .cubin, computeCapability: 90).architectureName == "sm_90a")
        #expect(CompileTarget(format: .cubin, computeCapability: 100).architectureName == "sm_100")
        #expect(throws: CUDAError.self) { try CompileTarget.best(for: 70, supported: supported) }
    }

    @Test func commandLine() {
        let options = CompileOptions(includeFolders: ["/mine"], extraOptions: ["-default-device"])
        #expect(options.commandLine(target: CompileTarget(format: .cubin, computeCapability: 90), headerFolder: "/cuda/include")
                == ["--gpu-architecture=sm_90a", "--std=c++17", "-I/cuda/include", "-I/mine", "--ptxas-options=-v",
                    "-default-device"])
        #expect(CompileOptions().commandLine(target: CompileTarget(format: .ptx, computeCapability: 90), headerFolder: nil)
                == ["--gpu-architecture=compute_90", "--std=c++17"])
        #expect(!CompileOptions().commandLine(target: CompileTarget(format: .cubin, computeCapability: 90), headerFolder: nil)
                .contains("-O3"))
    }
}
