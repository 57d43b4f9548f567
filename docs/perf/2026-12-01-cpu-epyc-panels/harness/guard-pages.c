// Bounds harness of the CPU SpMM kernels (CPUKernelsC) with column panels and row maps: every
// operand is placed against a PROT_NONE page (Y's end, then Y's start, on the page boundary), Y's
// row padding holds canaries, and each result is checked against a Float64 loop. Cases: the three
// paths, CSR and BSR 1x4/1x8/4x1/4x4/2x2/1x2/8x8, panels of 0/8/.../64 columns, feature-major and
// transposed Y, GELU/ReLU/residual apart/residual in place, 1/3/8-vector tiles, whole and split
// calls (row chunks, column spans in reverse), the SpMV, row maps (CSR). Prints the failures and a count.
//
//   S=Sources/CPUKernelsC
//   clang -g -O1 -I$S/include -I$S guard-pages.c $S/spmm_avx512.c $S/spmm_avx2.c $S/spmm_portable.c \
//       $S/dispatch.c $S/cpu_features.c -lm -o guard-pages && ./guard-pages
//
// 2026-12-01, on the 2-core EPYC: "0 of 194400 failed" at the merge of spec2 (row maps), and
// "0 of 168480 failed" (without the row-map cases) at 8bb7cbb, at -O1 and -O0.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <sys/mman.h>
#include <unistd.h>
#include "CPUKernelsC.h"

static unsigned long long s = 88172645463325252ULL;
static float rnd(void) { s ^= s << 13; s ^= s >> 7; s ^= s << 17; return (float)((s >> 11) * (1.0 / 9007199254740992.0)) * 2 - 1; }
static int atStart;
typedef struct { void *map; size_t len; } region;
static region regs[32]; static int nreg;
static void *gmalloc(size_t bytes) {
    size_t pg = 4096, data = (bytes + pg - 1) / pg * pg, len = data + 2 * pg;
    char *m = mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(m, pg, PROT_NONE); mprotect(m + pg + data, pg, PROT_NONE);
    regs[nreg++] = (region){m, len};
    return atStart ? m + pg : m + pg + data - bytes;
}
static void gfreeall(void) { for (int i = 0; i < nreg; i++) munmap(regs[i].map, regs[i].len); nreg = 0; }

static int run_case(int isa, int n, int k, int m, int br_, int bc, int pw, int T, int v, int tv, int split, int spmv, int mapped) {
    int NB = n / br_, KB = k / bc, bs = br_ * bc;
    int32_t *off = calloc(NB + 1, 4), *idx = malloc(NB * KB * 4 + 4); float *val = malloc(sizeof(float) * NB * KB * bs + 4);
    float *dense = calloc(n * k, 4); int nb = 0;
    for (int r = 0; r < NB; r++) { for (int c = 0; c < KB; c++) if (((r * 7 + c * 3) % 5) < 2) { idx[nb] = c; for (int e = 0; e < bs; e++) { float w = rnd(); val[nb * bs + e] = w; dense[(r * br_ + e / bc) * k + c * bc + e % bc] = w; } nb++; } off[r + 1] = nb; }
    int pwb = pw > 0 ? (pw / bc > 0 ? pw / bc : 1) : KB; int panels = (KB + pwb - 1) / pwb; if (panels < 1) panels = 1;
    int32_t *poff = gmalloc((panels * NB + 1) * 4), *pidx = gmalloc((nb + 1) * 4); float *pval = gmalloc(sizeof(float) * (nb * bs + 1));
    memset(poff, 0, (panels * NB + 1) * 4);
    if (panels == 1) { memcpy(poff, off, (NB + 1) * 4); memcpy(pidx, idx, nb * 4); memcpy(pval, val, nb * bs * 4); }
    else {
        for (int r = 0; r < NB; r++) for (int b = off[r]; b < off[r+1]; b++) poff[idx[b] / pwb * NB + r + 1]++;
        for (int i = 1; i < panels * NB + 1; i++) poff[i] += poff[i-1];
        int32_t *next = malloc(panels * NB * 4); memcpy(next, poff, panels * NB * 4);
        for (int r = 0; r < NB; r++) for (int b = off[r]; b < off[r+1]; b++) { int sl = idx[b] / pwb * NB + r; int t = next[sl]++; pidx[t] = idx[b]; memcpy(pval + t * bs, val + b * bs, bs * 4); }
        free(next);
    }
    pidx[nb] = 0; pval[nb * bs] = 0;
    int ldx = spmv ? 1 : m + 3, ldy = T ? m : m + 5, ldr = m + 1;
    if (spmv) { m = 1; ldy = 1; ldr = 1; }
    float *x = gmalloc(sizeof(float) * ((size_t)(k - 1) * ldx + m)); for (int i = 0; i < (k - 1) * ldx + m; i++) x[i] = rnd();
    float *bias = gmalloc(n * 4); for (int i = 0; i < n; i++) bias[i] = rnd();
    int inplace = v == 3;
    size_t ycount = T ? (size_t)m * n : (size_t)(n - 1) * ldy + m;
    float *y = gmalloc(sizeof(float) * ycount);
    float *res = inplace ? y : gmalloc(sizeof(float) * ((size_t)(n - 1) * ldr + m));
    float *start = malloc(sizeof(float) * ycount);
    for (size_t i = 0; i < ycount; i++) y[i] = -77;
    if (!inplace) for (int i = 0; i < (n - 1) * ldr + m; i++) res[i] = rnd();
    else { for (int r = 0; r < n; r++) for (int c = 0; c < m; c++) y[r * ldy + c] = rnd(); }
    memcpy(start, y, sizeof(float) * ycount);
    int32_t *map = 0, *inv = malloc(n * 4);
    for (int r = 0; r < n; r++) inv[r] = r;
    if (mapped && br_ == 1) { map = gmalloc(n * 4); for (int r = 0; r < n; r++) map[r] = (r * 7 + 3) % n; if (n % 7 == 0) for (int r = 0; r < n; r++) map[r] = n - 1 - r; for (int r = 0; r < n; r++) inv[map[r]] = r; }
    sparrow_spmm_operands o = {0};
    o.row_map = map;
    o.offsets = poff; o.columns = pidx; o.values = pval; o.block_rows = br_; o.block_columns = bc; o.x = x; o.ldx = ldx;
    o.y = y; o.y_row_stride = T ? 1 : ldy; o.y_column_stride = T ? n : 1; o.bias = bias;
    o.gelu = v == 1; o.relu = v == 4; o.residual = (v >= 2 && v <= 3) ? res : 0; o.residual_row_stride = inplace ? ldy : ldr;
    o.tile_vectors = tv; o.panels = panels; o.panel_stride = NB; o.streaming_stores = split & 1;
    int lanes = sparrow_cpu_isa_lanes(isa); int tc = tv * lanes; int slots = (m + tc - 1) / tc;
    if (spmv) { for (int a = 0; a < NB; a += (split ? 3 : NB)) sparrow_spmv(isa, &o, a, a + (split ? 3 : NB) < NB ? a + (split ? 3 : NB) : NB); }
    else if (!split) for (int sl = 0; sl < slots; sl++) sparrow_spmm(isa, &o, 0, NB, sl * tc, (sl + 1) * tc < m ? (sl + 1) * tc : m);
    else for (int a = 0; a < NB; a += 2) for (int sl = slots - 1; sl >= 0; sl--) sparrow_spmm(isa, &o, a, a + 2 < NB ? a + 2 : NB, sl * tc, (sl + 1) * tc < m ? (sl + 1) * tc : m);
    double worst = 0; int bad = 0;
    for (int r = 0; r < n; r++) for (int c = 0; c < m; c++) {
        double sum = bias[r]; for (int q = 0; q < k; q++) sum += (double)dense[inv[r]*k+q] * x[q*ldx+c];
        if (v == 1) sum = sum * 0.5 * (1 + erf(sum / sqrt(2.0)));
        if (v == 4 && sum < 0) sum = 0;
        if (v == 2) sum += res[r*ldr+c];
        if (v == 3) sum += start[r*ldy+c];
        double got = T ? y[c * n + r] : y[r * ldy + c];
        double e = fabs(got - sum) / fmax(1, fabs(sum)); if (e > worst || e != e) worst = e != e ? 1e9 : e;
    }
    if (!T) for (int r = 0; r + 1 < n; r++) for (int c = m; c < ldy; c++) if (y[r*ldy+c] != -77) bad++;
    if (worst > 5e-5 || bad) printf("FAIL map=%d isa=%d n=%d k=%d m=%d blk=%dx%d pw=%d T=%d v=%d tv=%d split=%d spmv=%d worst=%g bad=%d\n", map != 0, isa,n,k,m,br_,bc,pw,T,v,tv,split,spmv,worst,bad);
    free(inv); free(off); free(idx); free(val); free(dense); free(start); gfreeall();
    return worst > 5e-5 || bad;
}

int main(void) {
    int shapes[][3] = {{128,64,40},{8,8,3},{32,16,129},{64,96,1},{64,96,40},{32,200,17},{4,136,33},{16,384,64}};
    int blocks[][2] = {{1,1},{1,4},{1,8},{4,1},{4,4},{2,2},{1,2},{8,8}};
    int fails = 0, total = 0;
    for (atStart = 0; atStart < 2; atStart++)
    for (int isa = 0; isa < 3; isa++) { if (!sparrow_cpu_isa_supported(isa)) continue;
    for (unsigned si = 0; si < 8; si++) for (unsigned bi = 0; bi < 8; bi++) for (int pw = 0; pw <= 64; pw += 8) for (int T = 0; T < 2; T++) for (int v = 0; v < 5; v++) for (int tv = 1; tv <= 8; tv += (tv == 1 ? 2 : 5)) for (int split = 0; split < 2; split++) for (int spmv = 0; spmv < 2; spmv++) for (int mapped = 0; mapped < 2; mapped++) {
        int n = shapes[si][0], k = shapes[si][1], m = shapes[si][2];
        if (n % blocks[bi][0] || k % blocks[bi][1]) continue;
        if (T && (v == 2 || v == 3)) continue;
        if (spmv && (bi || T || v == 1 || v == 2 || v == 3)) continue;
        if (mapped && bi) continue;
        total++;
        fails += run_case(isa, n, k, m, blocks[bi][0], blocks[bi][1], pw, T, v, tv, split, spmv, mapped);
    }}
    printf("%d of %d failed\n", fails, total);
    return fails != 0;
}
