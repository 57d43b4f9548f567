#include <stdio.h>
#include <time.h>
#include "CPUKernelsC.h"
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
int main(){ long it=20000000; double t0=now(); float r=sparrow_fma_probe(SPARROW_ISA_AVX512,it); double t=now()-t0; printf("%.0f GF/s one thread (%g)\n", it*16.0*16*2/t/1e9, r);}
