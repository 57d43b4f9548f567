import Foundation
import Testing
@testable import Models

@Suite("Eight-lane exp and erf")
struct VectorMathTests {
    /// Points across the ranges softmax and GELU use, with the edges.
    static let points: [Float] = stride(from: -90, through: 88, by: 0.173).map { Float($0) } + [0, -0, 1e-7, -1e-7, -87.3, 88.3]

    @Test func expWithinTwoUlp() {
        for start in stride(from: 0, to: Self.points.count - 8, by: 8) {
            let x = SIMD8(Self.points[start..<start + 8])
            let y = VectorMath.exp(x)
            for lane in 0..<8 where x[lane] >= -87 {
                let exact = Foundation.exp(Double(x[lane]))
                #expect(abs(Double(y[lane]) - exact) <= 2 * Double(Float(exact).ulp), "exp(\(x[lane])) = \(y[lane]), expected \(exact)")
            }
            for lane in 0..<8 where x[lane] < -87 { #expect(y[lane] >= 0 && y[lane] < 1e-37) }
        }
    }

    @Test func erfWithinFloatRounding() {
        let points = stride(from: -6, through: 6, by: 0.0137).map { Float($0) }
        for start in stride(from: 0, to: points.count - 8, by: 8) {
            let x = SIMD8(points[start..<start + 8])
            let y = VectorMath.erf(x)
            for lane in 0..<8 {
                #expect(abs(Double(y[lane]) - Foundation.erf(Double(x[lane]))) < 3e-7, "erf(\(x[lane]))")
            }
        }
    }
}
