// Sparrow's CPU SpMM kernels in C, compiled three times (AVX-512, AVX2 + FMA, portable) from one
// template (spmm_template.h) with per-function `target` attributes, and picked at run time from
// the CPU's features (cpu_features.c). Swift has no per-function target attributes; C does, so
// one portable binary carries every path without `unsafeFlags`. CPUKernels (Swift) plans the
// work, splits it over threads and calls these functions; nothing here allocates or decides.
#ifndef SPARROW_CPU_KERNELS_C_H
#define SPARROW_CPU_KERNELS_C_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Instruction-set paths, in order of preference.
typedef enum sparrow_cpu_isa {
    SPARROW_ISA_PORTABLE = 0,  ///< baseline (SSE2 on x86-64), 4-float vectors
    SPARROW_ISA_AVX2 = 1,      ///< AVX2 + FMA, 8-float vectors, masked loads
    SPARROW_ISA_AVX512 = 2,    ///< AVX-512F, 16-float vectors, mask registers, gathers
} sparrow_cpu_isa;

/// Whether this CPU and its operating system can run `isa` (CPUID feature bits and the
/// register state the OS saves, read with XGETBV). The portable path is always supported.
int sparrow_cpu_isa_supported(sparrow_cpu_isa isa);

/// Floats per vector of `isa`'s kernels (4, 8 or 16).
int sparrow_cpu_isa_lanes(sparrow_cpu_isa isa);

/// One SpMM call's operands, in the plan's repacked block layout.
///
/// W: `offsets` over block rows (block_row_count + 1 entries), `columns` over blocks (block
/// column index, < K / block_columns), `values` with block_rows * block_columns floats per
/// block, row-major inside the block (CSR is the 1 x 1 case). X: K rows of stride `ldx`
/// floats. Y: element (row, column) at `y[row * y_row_stride + column * y_column_stride]`
/// (`W X` writes rows: column stride 1; the `linear` convention writes the transpose).
typedef struct sparrow_spmm_operands {
    const int32_t *offsets;
    const int32_t *columns;
    const float *values;
    int64_t block_rows;
    int64_t block_columns;
    const float *x;
    int64_t ldx;
    float *y;
    int64_t y_row_stride;
    int64_t y_column_stride;
    /// One value per row of W, or NULL.
    const float *bias;
    /// Nonzero: `y = y < 0 ? 0 : y` after the bias (NaN propagates).
    int32_t relu;
    /// Nonzero: full, aligned vectors of Y rows are written with non-temporal stores.
    int32_t streaming_stores;
    /// Nonzero: software-prefetch the X rows of the nonzeros `prefetch_distance` ahead.
    int32_t prefetch_distance;
    /// Vectors per register tile over the columns of X (1 to 8).
    int32_t tile_vectors;
    /// Nonzero: `y = GELU(y)` (exact, `y Phi(y)` with erf) after the bias and ReLU.
    int32_t gelu;
    /// Added last: `y += residual[row * residual_row_stride + column]`, or NULL. Only for
    /// `y_column_stride == 1` (the caller checks).
    const float *residual;
    int64_t residual_row_stride;
    /// Stored row r of W is output row `row_map[r]` (its Y row, bias and residual row), or NULL
    /// for r itself: a row order applied when W was packed, undone in the store (and in the partial
    /// sums kept in Y between column panels). CSR only (block_rows == 1); a permutation of the rows
    /// (the caller checks). `offsets` (every panel's) are indexed by stored row.
    const int32_t *row_map;
    /// Column panels of W (>= 1; 0 reads as 1). With P panels, the stored blocks of block row
    /// `br` in panel `p` are `offsets[p * panel_stride + br] ..< offsets[p * panel_stride + br + 1]`
    /// (panel-major; `offsets` holds P * panel_stride + 1 entries). With one panel this is the
    /// plain layout above.
    int64_t panels;
    /// Block rows of W (the offsets of one panel, without its end entry).
    int64_t panel_stride;
} sparrow_spmm_operands;

/// Block rows [row_begin, row_end) times the columns [column_begin, column_end) of X and Y, with
/// `isa`'s kernels. The caller guarantees every index is in range and `isa` is supported.
void sparrow_spmm(sparrow_cpu_isa isa, const sparrow_spmm_operands *operands, int64_t row_begin,
                  int64_t row_end, int64_t column_begin, int64_t column_end);

/// The sparse matrix-vector product (X has one column, at stride `ldx`) for CSR (1 x 1 blocks),
/// rows [row_begin, row_end): AVX-512 and AVX2 gather X by the column indices.
void sparrow_spmv(sparrow_cpu_isa isa, const sparrow_spmm_operands *operands, int64_t row_begin,
                  int64_t row_end);

/// The dense layers' epilogue, in place over rows [row_begin, row_end) of Y (`columns` floats
/// from each row start, rows `ldy` apart): `y = GELU?(y + bias[row]) + residual[row * ldr + c]`
/// (`bias` and `residual` may be NULL, `gelu` nonzero for the exact GELU, x Phi(x) with erf within
/// 1.5e-7).
void sparrow_epilogue_rows(sparrow_cpu_isa isa, float *y, int64_t ldy, int64_t columns, const float *bias,
                           int32_t gelu, const float *residual, int64_t ldr, int64_t row_begin, int64_t row_end);

/// One (text, head) of scaled dot-product attention over feature-major activations: Q, K, V and
/// the context are `head_size` rows (the head's features) of `length` columns (the text's
/// tokens), rows `ld` floats apart. `context[f][i] = sum_j softmax_j(scale q_i . k_j) v[f][j]`.
typedef struct sparrow_attention_operands {
    const float *q;
    const float *k;
    const float *v;
    float *context;
    int64_t ld;
    int64_t head_size;
    int64_t length;
    float scale;
    /// At least `sparrow_attention_scratch_count(length)` floats, not shared with another call.
    float *scratch;
} sparrow_attention_operands;

/// Floats of scratch one attention call over `length` tokens needs (every path): the scores,
/// keys by queries with rows padded to 16 floats, and one reciprocal sum per query.
int64_t sparrow_attention_scratch_count(int64_t length);

void sparrow_attention(sparrow_cpu_isa isa, const sparrow_attention_operands *operands);

/// Fused sparse attention over an ACSR pattern (SparseFormats' `ACSR`) for one head, token-major:
/// query i's features at `q[i * ld + f]`, f < head_size (K and V likewise, rows < the pattern's
/// length), its output at `out[i * out_ld + f]`. Row i's keys are `start + stride * t`, t < count,
/// over its `segments_per_row` segments (`segment_*[i * segments_per_row + s]`, unused ones count
/// 0 and last); `out_i = sum_j softmax_j(scale q_i . k_j) v_j`, zeros for a row without keys.
typedef struct sparrow_acsr_attention_operands {
    const float *q;
    const float *k;
    const float *v;
    float *out;
    int64_t ld;
    int64_t out_ld;
    int64_t head_size;
    float scale;
    int64_t segments_per_row;
    const int32_t *segment_start;
    const int32_t *segment_stride;
    const int32_t *segment_count;
} sparrow_acsr_attention_operands;

/// Rows [row_begin, row_end) of one head (SDDMM, online softmax and SpMM in one pass per row, the
/// scores never stored). The caller guarantees a valid ACSR and buffers that hold every row read.
void sparrow_acsr_attention(sparrow_cpu_isa isa, const sparrow_acsr_attention_operands *operands, int64_t row_begin,
                            int64_t row_end);

/// The peak probe: `iterations` rounds of 16 independent vector FMA chains on `isa`'s registers
/// (16 * lanes * 2 flops a round), no memory traffic. Returns a value derived from the results
/// so the work cannot be optimised away. Timed by the caller on every core at once, it measures
/// the FMA rate the clock really runs at (a virtual machine hides the boost clock).
float sparrow_fma_probe(sparrow_cpu_isa isa, int64_t iterations);

#ifdef __cplusplus
}
#endif

#endif
