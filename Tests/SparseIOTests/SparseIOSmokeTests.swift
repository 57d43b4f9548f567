import Testing
@testable import SparseIO

@Test func SparseIOBuilds() {}
