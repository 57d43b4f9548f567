#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "CPUKernelsC.h"
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
int main(int argc,char**argv){
  int L=atoi(argv[1]), D=atoi(argv[2]), texts=8, heads=12; int ld=texts*L+16;
  float *q=aligned_alloc(64,(size_t)heads*D*ld*4),*k=aligned_alloc(64,(size_t)heads*D*ld*4),*v=aligned_alloc(64,(size_t)heads*D*ld*4),*c=aligned_alloc(64,(size_t)heads*D*ld*4);
  for(size_t i=0;i<(size_t)heads*D*ld;i++){q[i]=((i*7)%13)*0.1f-0.6f;k[i]=((i*5)%11)*0.1f-0.5f;v[i]=((i*3)%7)*0.1f-0.3f;}
  float *scr=aligned_alloc(64,sparrow_attention_scratch_count(L)*4+64);
  double best=1e9;
  for(int rep=0;rep<11;rep++){ double t0=now();
    for(int h=0;h<heads;h++) for(int t=0;t<texts;t++){
      sparrow_attention_operands o={q+(size_t)h*D*ld+t*L,k+(size_t)h*D*ld+t*L,v+(size_t)h*D*ld+t*L,c+(size_t)h*D*ld+t*L,ld,D,L,0.17677f,scr};
      sparrow_attention(SPARROW_ISA_AVX512,&o);
    }
    double tt=now()-t0; if(tt<best)best=tt; }
  double fl=4.0*L*L*D*texts*heads;
  printf("L %d D %d: %.3f ms per layer (one thread, 96 heads), %.0f GF/s of the two matmuls, %.1f us per head\n",L,D,best*1e3,fl/best/1e9,best*1e6/96);
}
