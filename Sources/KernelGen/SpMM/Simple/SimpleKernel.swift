import SparseFormats

// The simple CSR kernel: one thread per output element, the first kernel to trust.
//
// Desk check: block (bx, by), thread (tx in 0..<S, ty in 0..<R); col = bx * S + tx (grid.x =
// ceil(m / S)), slot = by * R + ty (grid.y = ceil(n / R)); threads with col >= m or slot >= n
// return (no barriers). row = rowOrder[slot] or slot. The thread sums W[row, idx] * X[idx, col]
// over the row's positions start ..< end in fp32, applies the epilogue (bias + residual reads
// residual[row, col], the element it is about to write) and stores Y[row, col]:
// every (row, col) has exactly one thread. Threads of one row read the same W entries
// (broadcast) and consecutive columns of X and Y (coalesced).
enum SimpleKernel {
    static func render(_ problem: SpMMProblem, _ config: SimpleConfig, entryPoint: String) -> String {
        let type = problem.elementType
        let parameters = KernelGen.parameters(for: problem)
        let bias = problem.epilogue.hasBias ? "  const float b = to_f32(bias[row]);\n" : ""
        return """
            \(ElementCode.includes(type))
            typedef \(ElementCode.cType(type)) elem_t;

            constexpr int kThreadsPerRow = \(config.threadsPerRow);  // threads along the columns of Y
            constexpr int kRows = \(config.rowsPerBlock);  // rows per block

            \(ElementCode.conversions(type))

            extern "C" __global__ void
            \(entryPoint)(\(KernelParameter.cList(parameters))) {
              const int col = blockIdx.x * kThreadsPerRow + threadIdx.x;
              const int slot = blockIdx.y * kRows + threadIdx.y;
              if (col >= m || slot >= n) return;  // no barriers in this kernel
              const int row = \(problem.rowOrdering == .identity ? "slot" : "rowOrder[slot]");
              const int start = rowOffsets[row];
              const int end = rowOffsets[row + 1];
              const elem_t* const xCol = x + col;
              float acc = 0.0f;
            #pragma unroll 4
              for (int p = start; p < end; ++p) {
                acc = fmaf(to_f32(values[p]), to_f32(xCol[(long long)columnIndices[p] * m]), acc);
              }
            \(bias)  y[(long long)row * m + col] = from_f32(\(KernelGen.epilogueExpression(problem.epilogue, "acc", residual: "to_f32(residual[(long long)row * m + col])")));
            }

            """
    }
}
