import CUDA
import KernelGen
import Runtime

extension GPUEncoderSession {
    /// The steps of every transformer layer in a fused-CSR form: x -> qkv (projection + bias),
    /// `attention` (qkv -> context, no bias), context + x -> attended (attention output + bias +
    /// residual + LayerNorm), attended -> x (the FFN + bias + residual + LayerNorm). `launch`
    /// binds a kernel as the form launches Sparrow's kernels (dependent or not).
    func fusedLayerSteps(
        config: EncoderFusedConfig, attention: @escaping () throws -> Void,
        launch: (KernelSource, [KernelArgument]) throws -> () throws -> Void
    ) throws -> [Step] {
        let shape = encoder.shape(bucket: bucket), b = buffers, t = Int32(tokens)
        func csr(_ layer: GPULinear) -> [KernelArgument] {
            [.buffer(layer.rowOffsets), .buffer(layer.columnIndices), .buffer(layer.values), .buffer(layer.bias)]
        }
        let attentionOutput = try EncoderKernels.fusedLinear(shape, kind: .attentionOutput, tokens: tokens, config: config)
        let feedForward = try EncoderKernels.fusedLinear(
            shape, kind: .feedForward(intermediate: encoder.config.intermediateSize), tokens: tokens, config: config)
        var steps: [Step] = []
        for layer in encoder.layers {
            let projection = try EncoderKernels.fusedLinear(
                shape, kind: .projection(outputs: layer.queryKeyValue.outputs), tokens: tokens, config: config)
            steps.append((.linear, try launch(projection, csr(layer.queryKeyValue) + [.buffer(b.x), .buffer(b.qkv), .int32(t)])))
            steps.append((.attention, attention))
            steps.append((.linear, try launch(attentionOutput, csr(layer.attentionOutput) + [
                .buffer(b.context), .buffer(b.x), .buffer(layer.attentionNorm.gamma), .buffer(layer.attentionNorm.beta), .buffer(b.attended), .int32(t),
            ])))
            steps.append((.linear, try launch(feedForward, csr(layer.intermediate) + csr(layer.output) + [
                .buffer(b.attended), .buffer(layer.outputNorm.gamma), .buffer(layer.outputNorm.beta), .buffer(b.x), .int32(t),
            ])))
        }
        return steps
    }

    /// Linear layers that run on W's nonzeros: all of them in a fused-CSR form, none in a
    /// tensor-core form, else the plan's SpMM layers.
    package var sparseLayerCount: Int {
        form.fused != nil ? encoder.linears.count : !form.usesPlan ? 0 : plan.values.filter { $0 != .dense }.count
    }

    /// What runs `layer` in the prepared graph.
    package func kernelName(layer: String) -> String {
        form.fused.map { "csr in the fused kernels (g\($0.tokens), \($0.warps) warps)" }
            ?? form.tensorCore.map { "dense W in the tensor-core kernels (\($0.identifier))" }
            ?? form.persistent.map { "dense W in the persistent kernel (\($0.identifier))" }
            ?? (plan[layer] ?? .dense).description
    }
}
