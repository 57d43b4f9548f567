import Foundation
import Testing
import TuningStore

@Suite struct LocationTests {
    @Test func defaultPathFollowsXDGThenHome() throws {
        #expect(try TuningStore.defaultPath(environment: ["XDG_CACHE_HOME": "/x/cache", "HOME": "/home/u"])
            == "/x/cache/sparrow/tuning.sqlite")
        // XDG says to ignore an empty or relative value.
        for xdg in ["", "cache"] {
            #expect(try TuningStore.defaultPath(environment: ["XDG_CACHE_HOME": xdg, "HOME": "/home/u"])
                == "/home/u/.cache/sparrow/tuning.sqlite")
        }
        #expect(throws: TuningStoreError.noCacheDirectory) { try TuningStore.defaultPath(environment: [:]) }
    }

    @Test func theDefaultLocationIsCreatedAndAnExplicitPathOverridesIt() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let store = try TuningStore(environment: ["XDG_CACHE_HOME": folder.path])
        #expect(store.path == folder.file("sparrow/tuning.sqlite"))
        #expect(FileManager.default.fileExists(atPath: store.path))
        let explicit = try TuningStore(path: folder.file("deep/er/t.sqlite"), environment: ["XDG_CACHE_HOME": folder.path])
        #expect(explicit.path == folder.file("deep/er/t.sqlite"))
        #expect(FileManager.default.fileExists(atPath: explicit.path))
    }
}
