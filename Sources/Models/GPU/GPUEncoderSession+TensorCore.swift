import CUDA
import KernelGen
import Runtime

extension GPUEncoderSession {
    /// The steps of every transformer layer in a tensor-core form (W dense in Sparrow's
    /// tensor-core kernels): x -> qkv (W x, no bias); `attention` (adds the QKV bias; qkv ->
    /// context); context + x -> attended (attention output + bias + residual + LayerNorm);
    /// attended -> intermediate (FFN up + bias + GELU); intermediate + attended -> x (FFN down +
    /// bias + residual + LayerNorm). `launch` binds a kernel as the form launches Sparrow's
    /// kernels (dependent or not).
    func tensorCoreLayerSteps(
        config: EncoderTensorCoreConfig, attention: GPUAttentionKernel, dependent: Bool,
        launch: (KernelSource, [KernelArgument]) throws -> () throws -> Void
    ) throws -> [Step] {
        guard attention.fusedConfig(qkvBias: true) != nil else {
            throw CUDAError.invalidArgument("tensor-core form: attention \(attention.rawValue) does not add the QKV bias (a fused kernel must)")
        }
        let shape = encoder.shape(bucket: bucket), b = buffers, t = Int32(tokens)
        let hidden = encoder.config.hiddenSize, intermediate = encoder.config.intermediateSize
        func weight(_ layer: GPULinear) throws -> KernelArgument {
            guard let dense = layer.dense else { throw CUDAError.invalidArgument("\(layer.name): no dense W for the tensor-core kernels") }
            return .buffer(dense)
        }
        let output = try EncoderKernels.tensorCoreLinear(shape, kind: .residualLayerNorm(inputs: hidden), tokens: tokens, config: config)
        let up = try EncoderKernels.tensorCoreLinear(shape, kind: .biasGELU(outputs: intermediate), tokens: tokens, config: config)
        let down = try EncoderKernels.tensorCoreLinear(shape, kind: .residualLayerNorm(inputs: intermediate), tokens: tokens, config: config)
        var steps: [Step] = []
        for layer in encoder.layers {
            let projection = try EncoderKernels.tensorCoreLinear(
                shape, kind: .projection(outputs: layer.queryKeyValue.outputs), tokens: tokens, config: config)
            steps.append((.linear, try launch(projection, [try weight(layer.queryKeyValue), .buffer(b.x), .buffer(b.qkv), .int32(t)])))
            steps.append((.attention, try attentionStep(attention, qkvBias: layer.queryKeyValue.bias, dependent: dependent)))
            steps.append((.linear, try launch(output, [
                try weight(layer.attentionOutput), .buffer(layer.attentionOutput.bias), .buffer(b.context), .buffer(b.x),
                .buffer(layer.attentionNorm.gamma), .buffer(layer.attentionNorm.beta), .buffer(b.attended), .int32(t),
            ])))
            steps.append((.linear, try launch(up, [
                try weight(layer.intermediate), .buffer(layer.intermediate.bias), .buffer(b.attended), .buffer(b.intermediate), .int32(t),
            ])))
            steps.append((.linear, try launch(down, [
                try weight(layer.output), .buffer(layer.output.bias), .buffer(b.intermediate), .buffer(b.attended),
                .buffer(layer.outputNorm.gamma), .buffer(layer.outputNorm.beta), .buffer(b.x), .int32(t),
            ])))
        }
        return steps
    }
}
