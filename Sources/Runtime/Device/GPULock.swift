#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// An advisory lock on one GPU, so two tuning or benchmarking processes never time kernels on
/// the same device at once: `flock` on `gpu-<ordinal>.lock` in ``directory(environment:)``, with
/// the holder's pid written in the file for the one waiting. The lock is released when the value
/// is deinitialised or the process ends (the kernel drops `flock` locks with the descriptor).
///
/// `flock` locks belong to the open file description, so two locks taken through separate
/// `open` calls exclude each other within one process too.
package final class GPULock: Sendable {
    /// The lock file.
    package let path: String
    /// The device ordinal locked.
    package let ordinal: Int
    private let descriptor: Int32

    init(path: String, ordinal: Int, descriptor: Int32) {
        self.path = path
        self.ordinal = ordinal
        self.descriptor = descriptor
    }

    deinit {
        _ = flock(descriptor, LOCK_UN)
        _ = close(descriptor)
    }

    /// `$SPARROW_CACHE_DIR/locks`, else `~/.cache/sparrow/locks`.
    package static func directory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let cache = environment["SPARROW_CACHE_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.cache/sparrow")
        return cache + "/locks"
    }

    /// The lock file of device `ordinal` in `directory`.
    package static func path(ordinal: Int, directory: String) -> String {
        directory + "/gpu-\(ordinal).lock"
    }
}
