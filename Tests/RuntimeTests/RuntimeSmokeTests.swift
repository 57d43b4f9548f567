import Testing
@testable import Runtime

@Test func RuntimeBuilds() {}
