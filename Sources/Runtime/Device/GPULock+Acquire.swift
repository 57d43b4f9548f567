#if canImport(Glibc)
import Glibc
#endif
import Foundation

extension GPULock {
    /// Takes the lock of device `ordinal`, waiting while another process holds it: `note` hears
    /// one line naming the holder's pid when it has to wait; after `timeout` seconds (nil: no
    /// limit) it throws ``GPULockError/timedOut(path:ordinal:seconds:holder:)``. `poll` is the
    /// wait between attempts.
    package static func acquire(
        ordinal: Int, directory: String = GPULock.directory(), timeout: Double? = nil, poll: Double = 0.1,
        note: (String) -> Void = { _ in }
    ) throws(GPULockError) -> GPULock {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .cannotOpen(path: directory, reason: error.localizedDescription)
        }
        let path = path(ordinal: ordinal, directory: directory)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        let start = Date()
        var noted = false
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let failure = errno
            guard failure == EWOULDBLOCK || failure == EINTR else {
                _ = close(descriptor)
                throw .cannotOpen(path: path, reason: String(cString: strerror(failure)))
            }
            let holder = Self.holder(descriptor)
            let waited = Date().timeIntervalSince(start)
            if let timeout, waited >= timeout {
                _ = close(descriptor)
                throw .timedOut(path: path, ordinal: ordinal, seconds: timeout, holder: holder)
            }
            if !noted {
                noted = true
                let who = holder.map { "process \($0)" } ?? "another process"
                let limit = timeout.map { String(format: " (at most %g s, --lock-timeout)", $0) } ?? ""
                note("sparrow: GPU \(ordinal) is in use by \(who) (\(path)); waiting for it\(limit)")
            }
            let remaining = timeout.map { max(0, $0 - waited) } ?? poll
            usleep(UInt32(max(0.001, min(poll, remaining)) * 1_000_000))
        }
        // Ours now: write our pid for the next one to wait.
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = text.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        return GPULock(path: path, ordinal: ordinal, descriptor: descriptor)
    }

    /// The pid written in the lock file open at `descriptor`, or nil when it holds none.
    static func holder(_ descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer.prefix(count), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return Int32(text)
    }
}

/// Why a ``GPULock`` was not taken.
package enum GPULockError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The lock file or its folder could not be opened.
    case cannotOpen(path: String, reason: String)
    /// Another process held the lock for `seconds`; `holder` is the pid written in the file.
    case timedOut(path: String, ordinal: Int, seconds: Double, holder: Int32?)

    package var description: String {
        switch self {
        case let .cannotOpen(path, reason):
            "cannot open the GPU lock \(path): \(reason)"
        case let .timedOut(path, ordinal, seconds, holder):
            "GPU \(ordinal) is still in use by \(holder.map { "process \($0)" } ?? "another process") after "
                + String(format: "%g", seconds) + " s (--lock-timeout; lock file \(path)); wait for it to finish or raise --lock-timeout"
        }
    }
}
