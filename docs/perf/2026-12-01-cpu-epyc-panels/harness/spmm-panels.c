// One thread, the library's CSR kernel (CPUKernelsC, AVX-512 path) on a random N x K matrix at
// `density`, 1,024 columns of X (row stride 1,040 floats), 8 spans of 128 columns: W as one
// panel (the plain layout, prefetch distance `pdl`) against W in panels of KP columns
// (prefetch `pd`). Best of 15 interleaved runs. Build from the repository root:
//   clang -O3 -march=native -I Sources/CPUKernelsC/include spmm-panels.c Sources/CPUKernelsC/*.c -lm
// Usage: ./a.out N K density KP pd pdl
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <immintrin.h>
#include "CPUKernelsC.h"
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
int main(int argc,char**argv){
  int N=atoi(argv[1]),K=atoi(argv[2]); double dens=atof(argv[3]); int KP=atoi(argv[4]); int pd=argc>5?atoi(argv[5]):0;
  int32_t *off=malloc(4*(N+1)),*col=malloc(4*((size_t)N*K+1)); float *val=malloc(4*((size_t)N*K+1)); int nnz=0; srand(1);
  off[0]=0; for(int r=0;r<N;r++){for(int c=0;c<K;c++) if(rand()<dens*RAND_MAX){col[nnz]=c;val[nnz]=rand()/(float)RAND_MAX-0.5f;nnz++;} off[r+1]=nnz;}
  int P=(K+KP-1)/KP;
  int32_t *poff=malloc(4*((size_t)P*N+1)),*pcol=malloc(4*(nnz+1)); float*pval=malloc(4*(nnz+1)); int q=0;
  for(int p=0;p<P;p++) for(int r=0;r<N;r++){ poff[(size_t)p*N+r]=q; for(int i=off[r];i<off[r+1];i++) if(col[i]/KP==p){pcol[q]=col[i];pval[q]=val[i];q++;} }
  poff[(size_t)P*N]=q;
  int M=1024, ld=1040;
  float *x=aligned_alloc(64,(size_t)K*ld*4),*y=aligned_alloc(64,(size_t)N*ld*4),*y2=aligned_alloc(64,(size_t)N*ld*4);
  for(size_t i=0;i<(size_t)K*ld;i++)x[i]=(i%13)*0.1f-0.6f;
  double best[2]={1e9,1e9};
  int pdl=argc>6?atoi(argv[6]):4; sparrow_spmm_operands o={off,col,val,1,1,x,ld,y,ld,1,0,0,0,pdl,8,0,0,0,1,N};
  sparrow_spmm_operands o2={poff,pcol,pval,1,1,x,ld,y2,ld,1,0,0,0,pd,8,0,0,0,P,N};
  for(int rep=0;rep<15;rep++) for(int v=0;v<2;v++){
    double t0=now();
    if(v==0){ for(int s=0;s<8;s++) sparrow_spmm(SPARROW_ISA_AVX512,&o,0,N,s*128,(s+1)*128); }
    else { for(int s=0;s<8;s++) sparrow_spmm(SPARROW_ISA_AVX512,&o2,0,N,s*128,(s+1)*128); }
    double t=now()-t0; if(t<best[v])best[v]=t; }
  double err=0; for(int r=0;r<N;r++)for(int c=0;c<M;c++){double d=y[(size_t)r*ld+c]-y2[(size_t)r*ld+c]; if(d<0)d=-d; if(d>err)err=d;}
  printf("N %d K %d dens %.2f KP %d pd %d: csr %.3f ms (%.0f GF/s), panelled %.3f ms (%.0f GF/s) x%.2f maxdiff %.2g\n",N,K,dens,KP,pd,best[0]*1e3,2.0*nnz*M/best[0]/1e9,best[1]*1e3,2.0*nnz*M/best[1]/1e9,best[0]/best[1],err);
}
