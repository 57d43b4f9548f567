import SparseFormats

extension ElementCode {
    /// The tensor-core and asynchronous-copy helpers of the 16-bit kernels (sm_80+): `mma16816`
    /// (m16n8k16, fp32 accumulation, A row-major, B column-major), `ldsm_x4` / `ldsm_x4_trans`
    /// (four 8 x 8 matrices of elem_t from shared memory), `cp_async16` (16 bytes global ->
    /// shared, `src_bytes` 0 fills zeros), `cp_async_commit` and `cp_async_wait<N>`.
    static func tensorCoreHelpers(_ type: ElementType) -> String {
        precondition(type == .f16 || type == .bf16, "tensor-core helpers are for 16-bit elements, not \(type)")
        let mmaType = type == .bf16 ? "bf16" : "f16"
        return """
            __device__ __forceinline__ void mma16816(float (&c)[4], const unsigned (&a)[4], unsigned b0, unsigned b1) {
              asm volatile("mma.sync.aligned.m16n8k16.row.col.f32.\(mmaType).\(mmaType).f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};\\n"
                           : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
                           : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b0), "r"(b1));
            }
            __device__ __forceinline__ void ldsm_x4_trans(unsigned& r0, unsigned& r1, unsigned& r2, unsigned& r3, const elem_t* p) {
              const unsigned a = (unsigned)__cvta_generic_to_shared(p);
              asm volatile("ldmatrix.sync.aligned.m8n8.x4.trans.shared.b16 {%0,%1,%2,%3}, [%4];\\n"
                           : "=r"(r0), "=r"(r1), "=r"(r2), "=r"(r3) : "r"(a));
            }
            __device__ __forceinline__ void ldsm_x4(unsigned& r0, unsigned& r1, unsigned& r2, unsigned& r3, const elem_t* p) {
              const unsigned a = (unsigned)__cvta_generic_to_shared(p);
              asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0,%1,%2,%3}, [%4];\\n"
                           : "=r"(r0), "=r"(r1), "=r"(r2), "=r"(r3) : "r"(a));
            }
            // 16 bytes global -> shared; src_bytes 0 fills zeros.
            __device__ __forceinline__ void cp_async16(elem_t* dst, const elem_t* src, int src_bytes) {
              const unsigned a = (unsigned)__cvta_generic_to_shared(dst);
              asm volatile("cp.async.cg.shared.global [%0], [%1], 16, %2;\\n" :: "r"(a), "l"(src), "r"(src_bytes));
            }
            __device__ __forceinline__ void cp_async_commit() { asm volatile("cp.async.commit_group;\\n" ::); }
            template <int N> __device__ __forceinline__ void cp_async_wait() { asm volatile("cp.async.wait_group %0;\\n" :: "n"(N)); }
            """
    }
}
