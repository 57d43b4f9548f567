// One-thread probe of Sparrow's AVX-512 CSR SpMM kernel (Sources/CPUKernelsC/spmm_template.h),
// called directly on a seeded random W (N x K, density d, optionally exactly round(d x panel)
// values per row and panel) and X (K x M, rows padded as CPUSpMMPlan.paddedWidth pads them):
// the best of 20 timed calls after 3 warm-ups, GFLOP/s = 2 nnz M / time. See run.sh.
//   probe N K M panelColumns tileVectors density [prefetchDistance [fixedCounts]]
// panelColumns 0: no panels (W in its plain layout).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "spmm_paths.h"

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static unsigned long long state = 88172645463325252ull;
static unsigned long long next(void) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

int main(int argc, char **argv) {
    if (argc < 7) {
        fprintf(stderr, "usage: probe N K M panelColumns tileVectors density [prefetchDistance [fixedCounts]]\n");
        return 2;
    }
    const int n = atoi(argv[1]), k = atoi(argv[2]), m = atoi(argv[3]), tv = atoi(argv[5]);
    int pc = atoi(argv[4]);
    const double d = atof(argv[6]);
    const int pd = argc > 7 ? atoi(argv[7]) : 0, fixed = argc > 8 ? atoi(argv[8]) : 0;
    const int panels = pc > 0 ? (k + pc - 1) / pc : 1;
    if (pc <= 0) pc = k;
    char *mask = calloc((size_t)n * k, 1);
    long nnz = 0;
    if (!fixed) {
        for (long i = 0; i < (long)n * k; i++) nnz += mask[i] = (next() % 10000) < d * 10000;
    } else {
        const int per = (int)(d * pc + 0.5);
        for (int r = 0; r < n; r++)
            for (int p0 = 0; p0 < k; p0 += pc)
                for (int c = 0; c < per;) {
                    const int col = p0 + (int)(next() % pc);
                    if (col < k && !mask[(long)r * k + col]) { mask[(long)r * k + col] = 1; c++; nnz++; }
                }
    }
    int32_t *offsets = malloc(sizeof(int32_t) * ((long)panels * n + 1));
    int32_t *columns = malloc(4 * (nnz + 1));
    float *values = malloc(4 * (nnz + 1));
    long q = 0;
    for (int p = 0; p < panels; p++)
        for (int r = 0; r < n; r++) {
            offsets[(long)p * n + r] = (int32_t)q;
            for (int c = p * pc; c < (p + 1) * pc && c < k; c++)
                if (mask[(long)r * k + c]) { columns[q] = c; values[q] = (next() % 1000) / 1000.0f; q++; }
        }
    offsets[(long)panels * n] = (int32_t)q;
    long ld = (m + 15) / 16 * 16;
    if (ld % 256 == 0) ld += 16;
    float *x = aligned_alloc(64, 4 * k * ld), *y = aligned_alloc(64, 4 * n * ld);
    for (long i = 0; i < k * ld; i++) x[i] = (next() % 1000) / 1000.0f;
    sparrow_spmm_operands o;
    memset(&o, 0, sizeof o);
    o.offsets = offsets; o.columns = columns; o.values = values; o.block_rows = 1; o.block_columns = 1;
    o.x = x; o.ldx = ld; o.y = y; o.y_row_stride = ld; o.y_column_stride = 1;
    o.tile_vectors = tv; o.panels = panels; o.panel_stride = n; o.prefetch_distance = pd;
    double best = 1e9;
    for (int it = 0; it < 23; it++) {
        const double t = now();
        sparrow_spmm_avx512(&o, 0, n, 0, m);
        const double e = now() - t;
        if (it >= 3 && e < best) best = e;
    }
    printf("N=%d K=%d M=%d panel=%d tv=%d pd=%d fixed=%d nnz=%ld  %.4f ms  %.1f GFLOP/s\n", n, k, m, pc, tv, pd, fixed, nnz,
           best * 1e3, 2.0 * nnz * m / best / 1e9);
    return 0;
}
