import Testing
@testable import KernelGen

@Test func KernelGenBuilds() {}
