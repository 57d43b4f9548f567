#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include "CPUKernelsC.h"
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
int main(int argc,char**argv){
  int N=atoi(argv[1]),K=atoi(argv[2]); double dens=0.1;
  int32_t *off=malloc(4*(N+1)),*col=malloc(4*(N*K+1)); float *val=malloc(4*(N*K+1)); int nnz=0; srand(1);
  off[0]=0; for(int r=0;r<N;r++){for(int c=0;c<K;c++) if(rand()<dens*RAND_MAX){col[nnz]=c;val[nnz]=rand()/(float)RAND_MAX;nnz++;} off[r+1]=nnz;}
  int M=1024, ldw=1040;
  size_t xb=(size_t)K*ldw*4, yb=(size_t)N*ldw*4;
  float *xw, *yw, *xh, *yh;
  posix_memalign((void**)&xw,4096,xb); posix_memalign((void**)&yw,4096,yb);
  posix_memalign((void**)&xh,1<<21,(xb+(1<<21))); posix_memalign((void**)&yh,1<<21,(yb+(1<<21)));
  madvise(xh,(xb+(1<<21))&~((1<<21)-1),MADV_HUGEPAGE); madvise(yh,(yb+(1<<21))&~((1<<21)-1),MADV_HUGEPAGE);
  float *xbk=malloc(xb), *ybk=malloc(yb);
  for(size_t i=0;i<xb/4;i++){xw[i]=xh[i]=xbk[i]=(i%13)*0.1f;} memset(yw,0,yb);memset(yh,0,yb);memset(ybk,0,yb);
  double best[3]={1e9,1e9,1e9};
  for(int rep=0;rep<30;rep++) for(int v=0;v<3;v++){
    double t0=now();
    if(v<2){ sparrow_spmm_operands o={off,col,val,1,1,v?xh:xw,ldw,v?yh:yw,ldw,1,0,0,0,4,8,0,0,0};
      sparrow_spmm(SPARROW_ISA_AVX512,&o,0,N,0,M);}
    else { for(int b=0;b<8;b++){ sparrow_spmm_operands o={off,col,val,1,1,xbk+(size_t)b*K*128,128,ybk+(size_t)b*N*128,128,1,0,0,0,4,8,0,0,0};
      sparrow_spmm(SPARROW_ISA_AVX512,&o,0,N,0,128);} }
    double t=now()-t0; if(t<best[v])best[v]=t; }
  printf("N %d K %d nnz %d: ld1040 4K pages %.3f ms, ld1040 THP %.3f ms, blocked ld128 %.3f ms (%.1f GFLOP/s best)\n",N,K,nnz,best[0]*1e3,best[1]*1e3,best[2]*1e3, 2.0*nnz*M/ (best[0]<best[2]?best[0]:best[2])/1e9);
}
