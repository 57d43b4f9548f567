import Testing
@testable import CPUKernels

@Test func CPUKernelsBuilds() {}
