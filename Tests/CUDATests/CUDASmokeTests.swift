import Testing
@testable import CUDA

@Test func CUDABuilds() {}
