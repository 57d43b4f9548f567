import Runtime
import SparseFormats
import Testing

@Suite("Verifier and device selection")
struct VerifierTests {
    let verifier = Verifier(reference: [1, -2, 3, 0])

    @Test func withinToleranceIsCorrect() {
        let verdict = verifier.check([Float(1), -2, 3.0001, 0], precision: .fp16)
        #expect(verdict.isCorrect && (verdict.relativeError ?? 1) < 1e-4)
    }

    @Test func aWrongElementNaNOrLengthIsNamed() {
        #expect(verifier.check([Float(1), -2, 4, 0], precision: .fp32).failure?.hasPrefix("relative error") == true)
        #expect(verifier.check([Float(1), .nan, 3, 0], precision: .bf16).failure == "output holds NaN (an element was not written)")
        #expect(verifier.check([Float(1)], precision: .fp32).failure == "output has 1 elements, expected 4")
    }

    @Test func oneToleranceTableOrderedByPrecision() {
        #expect(ComputePrecision.fp32.relativeTolerance < ComputePrecision.fp16.relativeTolerance)
        #expect(ComputePrecision.fp16.relativeTolerance < ComputePrecision.bf16.relativeTolerance)
        #expect(ComputePrecision(storage: .f16) == .fp16 && ComputePrecision.tf32.storage == .f32)
    }

    @Test func cpuRequestNeverTouchesTheGPU() throws {
        guard case .cpu(reason: nil) = try DeviceRequest.cpu.resolve() else {
            Issue.record("--device cpu resolved to something else")
            return
        }
    }
}
