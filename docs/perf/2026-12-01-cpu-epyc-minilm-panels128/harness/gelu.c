#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "CPUKernelsC.h"
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
int main(int argc,char**argv){ int N=1536, M=atoi(argv[1]), ld=M+16; float *y=aligned_alloc(64,(size_t)N*ld*4), *b=malloc(N*4);
 for(size_t i=0;i<(size_t)N*ld;i++) y[i]=((i*7)%13)*0.01f-0.06f; for(int i=0;i<N;i++)b[i]=0;
 for(int g=0;g<2;g++){ double best=1e9; for(int r=0;r<15;r++){ double t0=now(); sparrow_epilogue_rows(SPARROW_ISA_AVX512,y,ld,M,b,g,0,0,0,N); double t=now()-t0; if(t<best)best=t;}
 printf("gelu %d: %.1f us for %d x %d (%.2f ns per element)\n",g,best*1e6,N,M,best*1e9/N/M);}
}
