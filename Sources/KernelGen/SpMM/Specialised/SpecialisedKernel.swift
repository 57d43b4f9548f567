import SparseFormats

// The specialised (SparseRT-style) kernel: W's pattern is part of the program.
//
// Desk check. Rows are taken in `order` (identity, or RowOrder.locality with group size R =
// rowsPerBlock) and cut into groups of R consecutive slots: group g holds the original rows
// order[g*R ..< min(n, (g+1)*R)]. Block (bx, by) runs group bx (grid.x = ceil(n / R)) over the
// columns col = (by * T + tx) * V ..< col + V of Y (grid.y = ceil(m / (T * V)); threads with
// col >= m return, and m % V == 0 is a rule, so a thread's V columns are all in range). The
// code of group bx is its own __noinline__ function, called from case bx of a switch on
// blockIdx.x (NVRTC optimises functions one at a time: one body of all groups compiled more
// than four times slower at 16,000 nonzeros): straight-line, every loop unrolled
// in the source, every row index, column index and (with c1) value a constant: no row offsets,
// no column indices, no sizes are read. For each distinct column c of the group's rows, in
// increasing order, one load of X[c, col ..< col+V] (vector of V) feeds every row of the group
// that holds c (so rows sharing columns share the load: the reason to group rows by shared
// columns); each nonzero (row j, c, w) is V fmaf into the fp32 accumulators a_j (V per row,
// zero-initialised, so empty rows store the epilogue of 0). Then row j stores
// epilogue(a_j) to Y[row_j, col ..< col+V] (bias[row_j] and residual[row_j, col + i] for the
// epilogues that read them). Every (row, col) belongs to exactly one group and one thread:
// written once; rows are constants, so undoing the order costs nothing in the store.
// Values: c1 writes fp32 constants equal to W's values rounded to the element type (what the
// reference multiplies); c0 reads values[p] at the constant CSR position p (a uniform
// address: one broadcast load per nonzero, no index arrays).
// Instruction cache: a block only ever executes its own group's function. Its code is about
// (distinct columns + nnz of the group x V) SASS instructions of 16 bytes plus the stores, so
// R x mean row length x V bounds what one block streams through the SM's instruction caches
// (an L0 of about 16 KiB per SM sub-partition, 128 KiB per SM behind it): rows per block is the
// knob, and the Tuner keeps it small where rows are long. The whole kernel grows with nnz x V,
// which the size limit (SpecialisedConfig.maxWrittenFMAs) bounds for compile time.
enum SpecialisedKernel {
    static func render(_ problem: SpMMProblem, _ config: SpecialisedConfig, pattern: CSRMatrix<Float>, entryPoint: String) -> String {
        let type = problem.elementType
        let v = config.vectorWidth
        let m = problem.m
        let order = config.localityOrder
            ? RowOrder.locality(pattern, groupSize: config.rowsPerBlock) : RowOrder.identity(pattern.rows)
        let constants = config.values == .constant ? pattern.values.map { type.visit(RoundedBits(value: $0)) } : []
        // Each group is its own non-inlined function: NVRTC's time grew faster than linearly with
        // one kernel body of all groups (16,282 nonzeros took 64 s on the development machine);
        // functions are optimised one at a time, and a block pays one call.
        var extra: [(declaration: String, name: String)] = []
        if config.values == .array { extra.append(("const elem_t* __restrict__ values", "values")) }
        if problem.epilogue.hasBias { extra.append(("const elem_t* __restrict__ bias", "bias")) }
        if problem.epilogue.hasResidual { extra.append(("const elem_t* __restrict__ residual", "residual")) }
        let declarations = (["const elem_t* __restrict__ xc", "elem_t* __restrict__ y", "const int col"] + extra.map(\.declaration))
            .joined(separator: ", ")
        let arguments = (["xc", "y", "col"] + extra.map(\.name)).joined(separator: ", ")
        var functions = "", cases = ""
        let groups = LaunchDimensions.blocks(pattern.rows, config.rowsPerBlock)
        for group in 0..<groups {
            let slots = group * config.rowsPerBlock..<min(pattern.rows, (group + 1) * config.rowsPerBlock)
            let rows = slots.map { order[$0] }
            cases += "  case \(group): group_\(group)(\(arguments)); break;\n"
            functions += "__device__ __noinline__ void group_\(group)(\(declarations)) {\n  float t[kV];\n"
            functions += rows.indices.map { "  float a\($0)[kV] = {};\n" }.joined()
            // (column, row in group, CSR position), by column then row.
            var entries: [(column: Int32, row: Int, position: Int)] = []
            for (j, row) in rows.enumerated() {
                for position in pattern.range(ofRow: row) { entries.append((pattern.columnIndices[position], j, position)) }
            }
            entries.sort { ($0.column, $0.row) < ($1.column, $1.row) }
            var loaded: Int32 = -1
            for entry in entries {
                if entry.column != loaded {
                    functions += "  L(\(Int(entry.column) * m));\n"
                    loaded = entry.column
                }
                let weight = config.values == .constant
                    ? "__uint_as_float(0x\(String(constants[entry.position], radix: 16))u)"
                    : "to_f32(__ldg(values + \(entry.position)))"
                functions += "  F(a\(entry.row), \(weight));\n"
            }
            for (j, row) in rows.enumerated() {
                functions += "  S(a\(j), \(row), \(row * m));\n"
            }
            functions += "}\n"
        }
        let bias = problem.epilogue.hasBias ? "const float b = to_f32(bias[row]); " : ""
        let residual = "to_f32(residual[yo + col + i])"
        return """
            \(ElementCode.includes(type))
            typedef \(ElementCode.cType(type)) elem_t;
            // specialised for pattern \(PatternDigest(value: problem.patternDigest)) (\(pattern.rows)x\(pattern.columns), nnz=\(pattern.nnz)): rows \(config.localityOrder ? "grouped by shared columns (RowOrder.locality)" : "in order"), \
            values \(config.values == .constant ? "as constants" : "read from the values array"), \(groups) row groups

            constexpr int kM = \(m);  // columns of X and Y
            constexpr int kT = \(config.threads);  // threads per block
            constexpr int kV = \(v);  // columns per thread

            \(ElementCode.conversions(type))

            \(ElementCode.denseLoad(type, width: v))

            \(ElementCode.denseStore(type, width: v))

            // Load X[c, col ..< col + V] (offset c * m) into t.
            #define L(offset) load_x(xc + (offset), t)
            // Accumulate w * t into the V accumulators of one row.
            #define F(acc, w) do { const float w_ = (w); _Pragma("unroll") for (int i = 0; i < kV; ++i) acc[i] = fmaf(w_, t[i], acc[i]); } while (0)
            // Apply the epilogue to one row's accumulators and store them at Y[row, col] (offset row * m).
            #define S(acc, r, yo) do { const int row = (r); (void)row; \(bias)float o[kV]; \\
              _Pragma("unroll") for (int i = 0; i < kV; ++i) o[i] = \(KernelGen.epilogueExpression(problem.epilogue, "acc[i]", residual: residual)); \\
              store_y(y + (yo) + col, o); } while (0)

            \(functions)
            extern "C" __global__ void __launch_bounds__(kT)
            \(entryPoint)(\(KernelParameter.cList(config.parameters(for: problem)))) {
              const int col = (blockIdx.y * kT + threadIdx.x) * kV;
              if (col >= kM) return;  // no barriers in this kernel
              const elem_t* __restrict__ const xc = x + col;
              switch (blockIdx.x) {
            \(cases)  default: break;
              }
            }

            """
    }
}

/// The bits of `value` rounded to the element type and widened back to fp32: the constant a
/// kernel multiplies by is exactly what the reference multiplies by.
private struct RoundedBits: ElementTypeVisitor {
    let value: Float
    func visit<T: SparseElement>(_ type: T.Type) -> UInt32 { T(value).floatValue.bitPattern }
}
