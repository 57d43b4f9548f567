// Harness: CSR SpMM at 128 (or more) token columns, AVX-512, one thread.
// variant lib: library kernel (panels outer). variant blk: row blocks x panels, partials in L1.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <immintrin.h>
#include "CPUKernelsC.h"
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
typedef struct { const int32_t *off,*col; const float *val; int N,P; } PW;
// Y[N x ld] = W X, X [K x ld], tokens c0..c0+NV*16
#define BLK(NVV) \
static void blk##NVV(const PW *w, const float *x, int ldx, float *y, int ldy, int c0, int RB) { \
  enum { NV = NVV }; \
  static __m512 part[4096][NV] __attribute__((aligned(64))); \
  for (int rb = 0; rb < w->N; rb += RB) { \
    int re = rb + RB < w->N ? rb + RB : w->N; \
    for (int r = rb; r < re; r++) for (int v = 0; v < NV; v++) part[r-rb][v] = _mm512_setzero_ps(); \
    for (int p = 0; p < w->P; p++) { \
      const int32_t *off = w->off + (size_t)p * w->N; \
      for (int r = rb; r < re; r++) { \
        int lo = off[r], hi = off[r+1]; \
        if (lo == hi) continue; \
        __m512 a[NV], b[NV]; \
        for (int v = 0; v < NV; v++) { a[v] = part[r-rb][v]; b[v] = _mm512_setzero_ps(); } \
        int i = lo; \
        for (; i + 2 <= hi; i += 2) { \
          const float *x0 = x + (size_t)w->col[i] * ldx + c0, *x1 = x + (size_t)w->col[i+1] * ldx + c0; \
          __m512 w0 = _mm512_set1_ps(w->val[i]), w1 = _mm512_set1_ps(w->val[i+1]); \
          for (int v = 0; v < NV; v++) { a[v] = _mm512_fmadd_ps(w0, _mm512_loadu_ps(x0 + 16*v), a[v]); b[v] = _mm512_fmadd_ps(w1, _mm512_loadu_ps(x1 + 16*v), b[v]); } \
        } \
        if (i < hi) { const float *x0 = x + (size_t)w->col[i] * ldx + c0; __m512 w0 = _mm512_set1_ps(w->val[i]); \
          for (int v = 0; v < NV; v++) a[v] = _mm512_fmadd_ps(w0, _mm512_loadu_ps(x0 + 16*v), a[v]); } \
        for (int v = 0; v < NV; v++) part[r-rb][v] = _mm512_add_ps(a[v], b[v]); \
      } \
    } \
    for (int r = rb; r < re; r++) for (int v = 0; v < NV; v++) _mm512_storeu_ps(y + (size_t)r * ldy + c0 + 16*v, part[r-rb][v]); \
  } \
}
#define BLKY(NVV) \
static void blky##NVV(const PW *w, const float *x, int ldx, float *y, int ldy, int c0, int RB) { \
  enum { NV = NVV }; \
  static __m512 part[4096][NV] __attribute__((aligned(64))); \
  for (int rb = 0; rb < w->N; rb += RB) { \
    int re = rb + RB < w->N ? rb + RB : w->N; \
    for (int r = rb; r < re; r++) for (int v = 0; v < NV; v++) _mm512_storeu_ps(y + (size_t)r * ldy + c0 + 16*v, _mm512_setzero_ps()); \
    for (int p = 0; p < w->P; p++) { \
      const int32_t *off = w->off + (size_t)p * w->N; \
      for (int r = rb; r < re; r++) { \
        int lo = off[r], hi = off[r+1]; \
        if (lo == hi) continue; \
        __m512 a[NV], b[NV]; \
        for (int v = 0; v < NV; v++) { a[v] = _mm512_loadu_ps(y + (size_t)r * ldy + c0 + 16*v); b[v] = _mm512_setzero_ps(); } \
        int i = lo; \
        for (; i + 2 <= hi; i += 2) { \
          const float *x0 = x + (size_t)w->col[i] * ldx + c0, *x1 = x + (size_t)w->col[i+1] * ldx + c0; \
          __m512 w0 = _mm512_set1_ps(w->val[i]), w1 = _mm512_set1_ps(w->val[i+1]); \
          for (int v = 0; v < NV; v++) { a[v] = _mm512_fmadd_ps(w0, _mm512_loadu_ps(x0 + 16*v), a[v]); b[v] = _mm512_fmadd_ps(w1, _mm512_loadu_ps(x1 + 16*v), b[v]); } \
        } \
        if (i < hi) { const float *x0 = x + (size_t)w->col[i] * ldx + c0; __m512 w0 = _mm512_set1_ps(w->val[i]); \
          for (int v = 0; v < NV; v++) a[v] = _mm512_fmadd_ps(w0, _mm512_loadu_ps(x0 + 16*v), a[v]); } \
        for (int v = 0; v < NV; v++) _mm512_storeu_ps(y + (size_t)r * ldy + c0 + 16*v, _mm512_add_ps(a[v], b[v])); \
      } \
    } \
     \
  } \
}
BLKY(8)

static int *g_cnt;
static int cmpcnt(const void*a,const void*b){int x=*(const int*)a,y=*(const int*)b; return g_cnt[x]-g_cnt[y];}
typedef struct { const int32_t *off,*col; const float *val; int N,P; const int32_t *perm; } PWS;
// panel p: rows in perm order; stored arrays laid out in that order (off indexed by stored position)
static void blks8(const PWS *w, const float *x, int ldx, float *y, int ldy, int c0) {
  enum { NV = 8 };
  static __m512 part[4096][NV] __attribute__((aligned(64)));
  for (int r = 0; r < w->N; r++) for (int v = 0; v < NV; v++) part[r][v] = _mm512_setzero_ps();
  for (int p = 0; p < w->P; p++) {
    const int32_t *off = w->off + (size_t)p * (w->N + 1); const int32_t *perm = w->perm + (size_t)p * w->N;
    for (int s = 0; s < w->N; s++) {
      int r = perm[s]; int lo = off[s], hi = off[s+1];
      __m512 a[NV], b[NV];
      for (int v = 0; v < NV; v++) { a[v] = part[r][v]; b[v] = _mm512_setzero_ps(); }
      int i = lo;
      for (; i + 2 <= hi; i += 2) {
        const float *x0 = x + (size_t)w->col[i] * ldx + c0, *x1 = x + (size_t)w->col[i+1] * ldx + c0;
        __m512 w0 = _mm512_set1_ps(w->val[i]), w1 = _mm512_set1_ps(w->val[i+1]);
        for (int v = 0; v < NV; v++) { a[v] = _mm512_fmadd_ps(w0, _mm512_loadu_ps(x0 + 16*v), a[v]); b[v] = _mm512_fmadd_ps(w1, _mm512_loadu_ps(x1 + 16*v), b[v]); }
      }
      if (i < hi) { const float *x0 = x + (size_t)w->col[i] * ldx + c0; __m512 w0 = _mm512_set1_ps(w->val[i]);
        for (int v = 0; v < NV; v++) a[v] = _mm512_fmadd_ps(w0, _mm512_loadu_ps(x0 + 16*v), a[v]); }
      for (int v = 0; v < NV; v++) part[r][v] = _mm512_add_ps(a[v], b[v]);
    }
  }
  for (int r = 0; r < w->N; r++) for (int v = 0; v < NV; v++) _mm512_storeu_ps(y + (size_t)r * ldy + c0 + 16*v, part[r][v]);
}
static PWS mksorted(int N,int K,const int32_t*off,const int32_t*col,const float*val,int KP,int sorted){
  int P=(K+KP-1)/KP; int nnz=off[N];
  int32_t *poff=malloc(4*((size_t)P*(N+1))),*pcol=malloc(4*(nnz+1)),*perm=malloc(4*(size_t)P*N); float*pval=malloc(4*(nnz+1)); int q=0;
  int *cnt=malloc(4*N);
  for(int p=0;p<P;p++){
    for(int r=0;r<N;r++){cnt[r]=0; for(int i=off[r];i<off[r+1];i++) if(col[i]/KP==p) cnt[r]++; perm[(size_t)p*N+r]=r;}
    if(sorted){ g_cnt=cnt; qsort(perm+(size_t)p*N,N,4,cmpcnt);} 
    for(int s=0;s<N;s++){ int r=perm[(size_t)p*N+s]; poff[(size_t)p*(N+1)+s]=q; for(int i=off[r];i<off[r+1];i++) if(col[i]/KP==p){pcol[q]=col[i];pval[q]=val[i];q++;} }
    poff[(size_t)p*(N+1)+N]=q;
  }
  PWS w={poff,pcol,pval,N,P,perm}; return w;
}
BLK(2) BLK(4) BLK(8)

static void blk4q(const PW *w, const float *x, int ldx, float *y, int ldy, int c0, int RB) {
  enum { NV = 4 };
  static __m512 part[4096][NV] __attribute__((aligned(64)));
  for (int rb = 0; rb < w->N; rb += RB) {
    int re = rb + RB < w->N ? rb + RB : w->N;
    for (int r = rb; r < re; r++) for (int v = 0; v < NV; v++) part[r-rb][v] = _mm512_setzero_ps();
    for (int p = 0; p < w->P; p++) {
      const int32_t *off = w->off + (size_t)p * w->N;
      const float *xb = x + c0;
      for (int r = rb; r < re; r++) {
        int lo = off[r], hi = off[r+1];
        if (lo == hi) continue;
        __m512 a[NV], b[NV], c[NV], d[NV];
        for (int v = 0; v < NV; v++) { a[v] = part[r-rb][v]; b[v] = c[v] = d[v] = _mm512_setzero_ps(); }
        const int32_t *cl = w->col; const float *vl = w->val;
        int i = lo;
        for (; i + 4 <= hi; i += 4) {
          const float *x0 = xb + (size_t)cl[i] * ldx, *x1 = xb + (size_t)cl[i+1] * ldx, *x2 = xb + (size_t)cl[i+2] * ldx, *x3 = xb + (size_t)cl[i+3] * ldx;
          __m512 w0 = _mm512_set1_ps(vl[i]), w1 = _mm512_set1_ps(vl[i+1]), w2 = _mm512_set1_ps(vl[i+2]), w3 = _mm512_set1_ps(vl[i+3]);
          for (int v = 0; v < NV; v++) { a[v] = _mm512_fmadd_ps(w0, _mm512_loadu_ps(x0 + 16*v), a[v]); b[v] = _mm512_fmadd_ps(w1, _mm512_loadu_ps(x1 + 16*v), b[v]);
            c[v] = _mm512_fmadd_ps(w2, _mm512_loadu_ps(x2 + 16*v), c[v]); d[v] = _mm512_fmadd_ps(w3, _mm512_loadu_ps(x3 + 16*v), d[v]); }
        }
        for (; i < hi; i++) { const float *x0 = xb + (size_t)cl[i] * ldx; __m512 w0 = _mm512_set1_ps(vl[i]);
          for (int v = 0; v < NV; v++) a[v] = _mm512_fmadd_ps(w0, _mm512_loadu_ps(x0 + 16*v), a[v]); }
        for (int v = 0; v < NV; v++) part[r-rb][v] = _mm512_add_ps(_mm512_add_ps(a[v], b[v]), _mm512_add_ps(c[v], d[v]));
      }
    }
    for (int r = rb; r < re; r++) for (int v = 0; v < NV; v++) _mm512_storeu_ps(y + (size_t)r * ldy + c0 + 16*v, part[r-rb][v]);
  }
}
static void mkpanels(int N,int K,const int32_t*off,const int32_t*col,const float*val,int KP,int32_t**po,int32_t**pc,float**pv,int*Pout){
  int P=(K+KP-1)/KP; int nnz=off[N];
  int32_t *poff=malloc(4*((size_t)P*N+1)),*pcol=malloc(4*(nnz+1)); float*pval=malloc(4*(nnz+1)); int q=0;
  for(int p=0;p<P;p++) for(int r=0;r<N;r++){ poff[(size_t)p*N+r]=q; for(int i=off[r];i<off[r+1];i++) if(col[i]/KP==p){pcol[q]=col[i];pval[q]=val[i];q++;} }
  poff[(size_t)P*N]=q; *po=poff;*pc=pcol;*pv=pval;*Pout=P;
}
int main(int argc,char**argv){
  int N=atoi(argv[1]),K=atoi(argv[2]); double dens=atof(argv[3]); int M=atoi(argv[4]);
  int32_t *off=malloc(4*(N+1)),*col=malloc(4*((size_t)N*K+1)); float *val=malloc(4*((size_t)N*K+1)); int nnz=0; srand(1);
  off[0]=0; for(int r=0;r<N;r++){for(int c=0;c<K;c++) if(rand()<dens*RAND_MAX){col[nnz]=c;val[nnz]=rand()/(float)RAND_MAX-0.5f;nnz++;} off[r+1]=nnz;}
  int ld=M+16;
  float *x=aligned_alloc(64,(size_t)K*ld*4),*y=aligned_alloc(64,(size_t)N*ld*4),*y2=aligned_alloc(64,(size_t)N*ld*4);
  for(size_t i=0;i<(size_t)K*ld;i++)x[i]=(i%13)*0.1f-0.6f;
  // library, panels 64
  int32_t *po,*pc; float *pv; int P; mkpanels(N,K,off,col,val,getenv("LIBKP")?atoi(getenv("LIBKP")):64,&po,&pc,&pv,&P);
  sparrow_spmm_operands o={po,pc,pv,1,1,x,ld,y,ld,1,0,0,0,0,8,0,0,0,0,P,N};
  const char *spec=getenv("VARIANTS"); // e.g. "8:64:4096,8:128:256"
  int nvv[8],kpv[8],rbv[8],nvar=0; char buf[256]; strcpy(buf,spec?spec:"8:64:4096,8:128:256,4:128:256");
  for(char*tok=strtok(buf,",");tok&&nvar<8;tok=strtok(0,",")){sscanf(tok,"%d:%d:%d",&nvv[nvar],&kpv[nvar],&rbv[nvar]);nvar++;}
  PW ws[8]; for(int a=0;a<nvar;a++){mkpanels(N,K,off,col,val,kpv[a],&po,&pc,&pv,&P); ws[a]=(PW){po,pc,pv,N,P};}
  sparrow_spmm_operands o1={off,col,val,1,1,x,ld,y,ld,1,0,0,0,0,8,0,0,0,0,1,N};
  if(getenv("LIBPLAIN")) o=o1;
  if(getenv("LIBTV")) o.tile_vectors=atoi(getenv("LIBTV"));
  if(getenv("PD")) o.prefetch_distance=atoi(getenv("PD"));
  double bt[9]; for(int a=0;a<=nvar;a++)bt[a]=1e9;
  for(int rep=0;rep<31;rep++) for(int a=0;a<=nvar;a++){ double t0=now();
    if(a==nvar){ for(int s=0;s<M;s+=128) sparrow_spmm(SPARROW_ISA_AVX512,&o,0,N,s,s+128);} else { int nv=nvv[a];
      for(int s=0;s<M;s+=(nv==5?64:nv==9?128:16*nv)){ if(nv==2) blk2(&ws[a],x,ld,y2,ld,s,rbv[a]); else if(nv==9) blky8(&ws[a],x,ld,y2,ld,s-8*16+8*16,rbv[a]); else if(nv==5) blk4q(&ws[a],x,ld,y2,ld,s,rbv[a]); else if(nv==4) blk4(&ws[a],x,ld,y2,ld,s,rbv[a]); else blk8(&ws[a],x,ld,y2,ld,s,rbv[a]);} }
    double t=now()-t0; if(t<bt[a])bt[a]=t; }
  printf("N %d K %d d %.2f M %d: lib %.0f GF/s;",N,K,dens,M,2.0*nnz*M/bt[nvar]/1e9);
  for(int a=0;a<nvar;a++) printf(" %d:%d:%d %.0f (x%.2f);",nvv[a],kpv[a],rbv[a],2.0*nnz*M/bt[a]/1e9,bt[nvar]/bt[a]);
  if(getenv("SORTTEST")){ int KP=atoi(getenv("SORTTEST")); PWS u=mksorted(N,K,off,col,val,KP,0), so=mksorted(N,K,off,col,val,KP,1); double bu=1e9,bs=1e9;
    for(int rep=0;rep<31;rep++){ double t0=now(); for(int s=0;s<M;s+=128) blks8(&u,x,ld,y2,ld,s); double t=now()-t0; if(t<bu)bu=t; t0=now(); for(int s=0;s<M;s+=128) blks8(&so,x,ld,y2,ld,s); t=now()-t0; if(t<bs)bs=t; }
    printf(" | unsorted %.0f GF/s, sorted per panel %.0f GF/s (x%.2f)", 2.0*nnz*M/bu/1e9, 2.0*nnz*M/bs/1e9, bu/bs); }
  double err=0; for(int r=0;r<N;r++)for(int cc=0;cc<M;cc++){double d=y[(size_t)r*ld+cc]-y2[(size_t)r*ld+cc]; if(d<0)d=-d; if(d>err)err=d;}
  printf(" err(last) %.1g\n",err);
}
