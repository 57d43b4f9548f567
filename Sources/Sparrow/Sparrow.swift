// The Sparrow library: the small public API for using Sparrow from Swift.
//
//     import Sparrow
//
//     let weights = try SparseWeights.load("pruned.safetensors", tensor: "encoder.layer.0.output.dense.weight")
//     let layer = try SparseLinear(weights, width: 256)              // plans and tunes on the GPU, else the CPU
//     let y = try layer.apply(x)                                     // x: K x 256, y: N x 256
//     print(layer.report.kernel, layer.report.seconds)
//
//     let embedder = try SentenceEmbedder(modelFolder: "all-MiniLM-L6-v2")   // scripts/get-model.sh
//     let vectors = try embedder.embed(["A man is eating food."])            // one 384-float vector
//
// Everything else in the package (kernel generation, the tuner, the benchmark harness, the file
// tools) is reached through this API or the `sparrow` command.

@_exported import struct SparseFormats.CSRMatrix
@_exported import struct SparseFormats.DenseMatrix
@_exported import enum SparseFormats.ElementType
@_exported import enum SparseFormats.PruningPattern
@_exported import struct SparseFormats.PruningReport
@_exported import enum SparseFormats.SparseFormatError
@_exported import struct SparseIO.SparseIOError
@_exported import enum Runtime.DeviceRequest
@_exported import struct Runtime.LinearPlanReport
