#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "CPUKernelsC.h"
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
int main(){ int L=128,d=32,ld=128,H=12;
  float *qkv=malloc(sizeof(float)*3*384*ld),*c=malloc(sizeof(float)*384*ld),*scr=malloc(sizeof(float)*sparrow_attention_scratch_count(L));
  for(int i=0;i<3*384*ld;i++)qkv[i]=(i%97)*0.01f;
  for(int isa=0;isa<3;isa++){ double best=1e9; for(int rep=0;rep<20;rep++){ double t0=now();
    for(int h=0;h<H;h++){sparrow_attention_operands o={qkv+h*d*ld,qkv+(384+h*d)*ld,qkv+(768+h*d)*ld,c+h*d*ld,ld,d,L,0.17f,scr}; sparrow_attention(isa,&o);}
    double t=now()-t0; if(t<best)best=t;}
    printf("isa %d: %.3f ms per layer (12 heads), %.1f GFLOP/s\n",isa,best*1e3, 12*4.0*L*L*d/best/1e9);}
}
