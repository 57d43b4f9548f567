#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "CPUKernelsC.h"
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
int main(int argc,char**argv){
  int N=atoi(argv[1]),K=atoi(argv[2]); double dens=atof(argv[3]); int G=atoi(argv[4]);
  int32_t *off=malloc(4*(N+1)),*col=malloc(4*(N*K+1)); float *val=malloc(4*(N*K+1)); int nnz=0; srand(1);
  off[0]=0; for(int r=0;r<N;r++){for(int c=0;c<K;c++) if(rand()<dens*RAND_MAX){col[nnz]=c;val[nnz]=rand()/(float)RAND_MAX;nnz++;} off[r+1]=nnz;}
  int M=1024, ld=1040;
  float *x=aligned_alloc(64,(size_t)K*ld*4),*y=aligned_alloc(64,(size_t)N*ld*4);
  for(size_t i=0;i<(size_t)K*ld;i++)x[i]=(i%13)*0.1f;
  double best[2]={1e9,1e9};
  sparrow_spmm_operands o={off,col,val,1,1,x,ld,y,ld,1,0,0,0,4,8,0,0,0};
  for(int rep=0;rep<15;rep++) for(int v=0;v<2;v++){
    double t0=now();
    if(v==0){ for(int s=0;s<8;s++) sparrow_spmm(SPARROW_ISA_AVX512,&o,0,N,s*128,(s+1)*128); }
    else { for(int g=0;g<G;g++) for(int s=0;s<8;s++) sparrow_spmm(SPARROW_ISA_AVX512,&o,(int64_t)N*g/G,(int64_t)N*(g+1)/G,s*128,(s+1)*128); }
    double t=now()-t0; if(t<best[v])best[v]=t; }
  printf("N %d K %d dens %.1f: spans-outer %.3f ms (%.0f GFLOP/s), %d row groups x spans %.3f ms (%.0f GFLOP/s)\n",N,K,dens,best[0]*1e3,2.0*nnz*M/best[0]/1e9,G,best[1]*1e3,2.0*nnz*M/best[1]/1e9);
}
