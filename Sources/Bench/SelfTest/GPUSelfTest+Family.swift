import KernelGen
import Runtime

extension GPUSelfTest {
    /// One kernel family's own section (compact, bitmap): `shapes` crossed with `variants`, each
    /// checking the configs `sample` lists for its problem; all compiled first, on all host cores.
    func familyChecks(
        _ family: String, shapes makeShapes: () throws -> [SelfTestShape], variants: [Variant],
        sample: @escaping (SpMMProblem) -> [SpMMConfig]
    ) -> [SelfTestResult] {
        let shapes: [SelfTestShape]
        do {
            shapes = try makeShapes()
        } catch {
            return [SelfTestResult(group: "kernels", name: "\(family) shapes", status: .failed, detail: "\(error)")]
        }
        var sources: [KernelSource] = []
        for shape in shapes {
            for v in variants {
                guard let problem = try? problem(shape, v) else { continue }
                sources += sample(problem).compactMap { try? KernelGen.render(problem, $0) }
            }
        }
        progress?("compiling \(sources.count) \(family) kernels with NVRTC")
        device.precompile(sources)
        var results: [SelfTestResult] = []
        for shape in shapes {
            for v in variants {
                results.append(check(shape, v, only: sample))
            }
            progress?("checked \(family) \(shape.name)")
        }
        return results
    }
}
