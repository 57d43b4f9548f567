import Foundation
import Runtime
import Synchronization
import Testing

@Suite struct GPULockTests {
    func temporaryDirectory() -> String {
        NSTemporaryDirectory() + "sparrow-gpulock-\(UUID().uuidString)"
    }

    @Test func aSecondLockOnTheSameGPUWaitsThenTimesOutNamingTheHolder() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try GPULock.acquire(ordinal: 0, directory: directory)
        let notes = Mutex<[String]>([])
        let start = Date()
        #expect(throws: GPULockError.timedOut(
            path: GPULock.path(ordinal: 0, directory: directory), ordinal: 0, seconds: 0.3, holder: getpid())) {
            _ = try GPULock.acquire(ordinal: 0, directory: directory, timeout: 0.3, poll: 0.05) { line in notes.withLock { $0.append(line) } }
        }
        #expect(Date().timeIntervalSince(start) >= 0.3)
        let lines = notes.withLock { $0 }
        #expect(lines.count == 1)
        #expect(lines.first?.contains("in use by process \(getpid())") == true)
        // Another GPU is not held.
        _ = try GPULock.acquire(ordinal: 1, directory: directory, timeout: 0)
        withExtendedLifetime(first) {}
    }

    @Test func releasingTheLockLetsTheNextTakeIt() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var first: GPULock? = try GPULock.acquire(ordinal: 0, directory: directory)
        #expect(first != nil)
        first = nil
        let second = try GPULock.acquire(ordinal: 0, directory: directory, timeout: 0)
        let text = try String(contentsOfFile: second.path, encoding: .utf8)
        #expect(text == "\(getpid())\n")
    }

    @Test func anotherProcessHoldingTheLockIsWaitedFor() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = GPULock.path(ordinal: 3, directory: directory)
        let ready = directory + "/ready"
        // flock(1) holds the lock for a second in a child process.
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        child.arguments = ["-x", path, "/bin/sh", "-c", "echo 4242 > \(path); touch \(ready); sleep 1"]
        try child.run()
        defer { child.waitUntilExit() }
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: ready), Date() < deadline { usleep(10_000) }
        #expect(throws: GPULockError.timedOut(path: path, ordinal: 3, seconds: 0.1, holder: 4242)) {
            _ = try GPULock.acquire(ordinal: 3, directory: directory, timeout: 0.1, poll: 0.02)
        }
        let notes = Mutex<[String]>([])
        let lock = try GPULock.acquire(ordinal: 3, directory: directory, timeout: 20, poll: 0.02) { line in
            notes.withLock { $0.append(line) }
        }
        #expect(!child.isRunning)
        #expect(notes.withLock { $0 }.first?.contains("process 4242") == true)
        withExtendedLifetime(lock) {}
    }
}
