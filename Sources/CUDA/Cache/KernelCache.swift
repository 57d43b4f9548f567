import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Compiled kernels, in memory and on disk, keyed by ``KernelCacheKey``.
///
/// Disk entries are written to a temporary file and renamed into place (atomic on POSIX), and
/// carry a checksum: a truncated or corrupted entry is detected, deleted and rebuilt. The
/// compiler is a closure, so tests run the whole cache without NVRTC or a GPU.
package final class KernelCache: Sendable {
    /// Counters, for tests and `sparrow doctor`.
    package struct Statistics: Hashable, Sendable {
        package var memoryHits = 0
        package var diskHits = 0
        package var compiles = 0
        /// Disk entries found invalid, deleted and rebuilt.
        package var corruptEntries = 0
        /// Disk writes that failed (the kernel is still returned and kept in memory).
        package var writeFailures = 0
    }

    /// The folder of entries, or nil for a memory-only cache.
    package let directory: String?
    private let memory = Mutex<[KernelCacheKey: CompiledKernel]>([:])
    private let counters = Mutex(Statistics())

    package init(directory: String?) {
        self.directory = directory
    }

    /// `$SPARROW_CACHE_DIR`, else `$XDG_CACHE_HOME/sparrow/kernels`, else `~/.cache/sparrow/kernels`.
    package static func defaultDirectory(environment: [String: String] = LibraryLoader.processEnvironment) -> String {
        if let explicit = environment["SPARROW_CACHE_DIR"], !explicit.isEmpty { return explicit }
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty { return xdg + "/sparrow/kernels" }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSTemporaryDirectory()
        return home + "/.cache/sparrow/kernels"
    }

    package var statistics: Statistics { counters.withLock { $0 } }

    /// The entry file for `key`.
    package func path(for key: KernelCacheKey) -> String? {
        directory.map { $0 + "/" + key.digest + ".kernel" }
    }

    /// The kernel for `key`: from memory, else from disk (if valid), else from `compile`,
    /// which is then stored in both. Compilation runs outside any lock.
    package func kernel(for key: KernelCacheKey, compile: () throws -> CompiledKernel) throws -> CompiledKernel {
        if let hit = memory.withLock({ $0[key] }) {
            counters.withLock { $0.memoryHits += 1 }
            return hit
        }
        if let fromDisk = readEntry(key) {
            counters.withLock { $0.diskHits += 1 }
            memory.withLock { $0[key] = fromDisk }
            return fromDisk
        }
        let kernel = try compile()
        counters.withLock { $0.compiles += 1 }
        memory.withLock { $0[key] = kernel }
        do {
            try writeEntry(kernel, key: key)
        } catch {
            counters.withLock { $0.writeFailures += 1 }
        }
        return kernel
    }

    /// Reads and validates the disk entry; deletes it when invalid.
    func readEntry(_ key: KernelCacheKey) -> CompiledKernel? {
        guard let path = path(for: key), let data = FileManager.default.contents(atPath: path) else { return nil }
        do {
            return try KernelCacheEntry.decode([UInt8](data), key: key)
        } catch {
            counters.withLock { $0.corruptEntries += 1 }
            try? FileManager.default.removeItem(atPath: path)
            return nil
        }
    }

    /// Writes the entry to `<digest>.kernel.tmp-<pid>-<random>` and renames it into place.
    func writeEntry(_ kernel: CompiledKernel, key: KernelCacheKey) throws {
        guard let directory, let path = path(for: key) else { return }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw CUDAError.cache(path: directory, reason: "cannot create folder: \(error.localizedDescription)")
        }
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let bytes = KernelCacheEntry.encode(kernel, key: key)
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) else {
            throw CUDAError.cache(path: temporary, reason: "cannot write")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw CUDAError.cache(path: path, reason: "rename failed: \(reason)")
        }
    }
}

extension NVRTC {
    /// Compiles through `cache`: the key covers the source, options, target, this NVRTC's
    /// version and its header folder.
    package func compile(
        _ source: String, name: String = "sparrow_kernel.cu", target: CompileTarget,
        options: CompileOptions = CompileOptions(), cache: KernelCache
    ) throws -> CompiledKernel {
        let key = KernelCacheKey(source: source, options: options, target: target, compilerVersion: versionString,
                                 headerFolder: headerFolder)
        return try cache.kernel(for: key) { try compile(source, name: name, target: target, options: options) }
    }
}
