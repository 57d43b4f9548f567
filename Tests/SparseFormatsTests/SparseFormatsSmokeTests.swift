import Testing
@testable import SparseFormats

@Test func SparseFormatsBuilds() {}
