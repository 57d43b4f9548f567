import Testing
@testable import SystemLibraries

@Suite struct DynamicLibraryTests {
    @Test func missingLibraryNamesItselfOnce() throws {
        let name = "libsparrow-no-such-library.so.7"
        guard case let .failure(failure) = DynamicLibrary.open(name) else {
            Issue.record("\(name) opened")
            return
        }
        #expect(failure.path == name)
        #expect(failure.loaderMessage.contains(name))
        #expect(!failure.reason.contains(name))
        #expect(failure.description.components(separatedBy: name).count == 2, "\(failure)")
    }

    @Test func reasonKeepsAnotherLibrarysName() {
        // A missing dependency: the loader names the dependency, which the reason must keep.
        let failure = LoadFailure(
            path: "/opt/x/libopenblas.so.0",
            loaderMessage: "libgfortran.so.5: cannot open shared object file: No such file or directory")
        #expect(failure.reason == failure.loaderMessage)
        #expect(failure.description == "/opt/x/libopenblas.so.0: libgfortran.so.5: cannot open shared object file: No such file or directory")
    }

    #if os(Linux)
    @Test func opensTheCLibraryAndFindsSymbols() throws {
        let library = try DynamicLibrary.open("libc.so.6", scope: .local).get()
        typealias Strlen = @convention(c) (UnsafePointer<CChar>?) -> Int
        let strlen = try #require(library.symbol("strlen", as: Strlen.self))
        #expect("sparrow".withCString { strlen($0) } == 7)
        #expect(library.address(of: "sparrow_no_such_symbol") == nil)
        #expect(library.resolvedPath.hasPrefix("/"))
    }
    #endif
}
