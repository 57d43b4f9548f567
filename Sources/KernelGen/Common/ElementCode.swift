import SparseFormats

// Small builders for the parts of a kernel that depend on the element type.
//
// fp16 / bf16 design: X, W and Y stay 16-bit in memory (half the bytes of fp32), every product
// is accumulated in fp32. Vector loads move raw 32/64/128-bit words (2, 4, 8 elements); each
// 16-bit half is widened to fp32 in registers (for bf16 a shift, for f16 one cvt). We chose fp32
// accumulation over half2 arithmetic: sums over thousands of products lose too much in fp16, and
// SpMM is bound by memory and latency, not by FMA throughput, so half2 math would buy little.
enum ElementCode {
    /// C type of one element in memory.
    static func cType(_ type: ElementType) -> String {
        switch type {
        case .f32: "float"
        case .f16: "__half"
        case .bf16: "__nv_bfloat16"
        case .f64: preconditionFailure("SpMMProblem rejects f64")
        }
    }

    static func includes(_ type: ElementType) -> String {
        switch type {
        case .f16: "#include <cuda_fp16.h>\n"
        case .bf16: "#include <cuda_bf16.h>\n"
        default: ""
        }
    }

    static func pointerKind(_ type: ElementType) -> KernelParameter.Kind {
        switch type {
        case .f32: .pointerF32
        case .f16: .pointerF16
        case .bf16: .pointerBF16
        case .f64: preconditionFailure("SpMMProblem rejects f64")
        }
    }

    /// `to_f32(elem_t)`, `from_f32(float)` and, for 16-bit types, `lo_f32` / `hi_f32` (the two
    /// elements packed in a 32-bit word, element 0 in the low half) and `pack2`.
    static func conversions(_ type: ElementType) -> String {
        switch type {
        case .f32:
            return """
                __device__ __forceinline__ float to_f32(float v) { return v; }
                __device__ __forceinline__ float from_f32(float v) { return v; }
                """
        case .f16:
            return """
                __device__ __forceinline__ float to_f32(__half v) { return __half2float(v); }
                __device__ __forceinline__ __half from_f32(float v) { return __float2half_rn(v); }
                __device__ __forceinline__ float lo_f32(unsigned w) { return __half2float(__ushort_as_half((unsigned short)(w & 0xffffu))); }
                __device__ __forceinline__ float hi_f32(unsigned w) { return __half2float(__ushort_as_half((unsigned short)(w >> 16))); }
                __device__ __forceinline__ unsigned bits16(float v) { return (unsigned)__half_as_ushort(__float2half_rn(v)); }
                __device__ __forceinline__ unsigned pack2(float a, float b) { return bits16(a) | (bits16(b) << 16); }
                """
        case .bf16:
            return """
                __device__ __forceinline__ float to_f32(__nv_bfloat16 v) { return __bfloat162float(v); }
                __device__ __forceinline__ __nv_bfloat16 from_f32(float v) { return __float2bfloat16_rn(v); }
                __device__ __forceinline__ float lo_f32(unsigned w) { return __uint_as_float(w << 16); }
                __device__ __forceinline__ float hi_f32(unsigned w) { return __uint_as_float(w & 0xffff0000u); }
                __device__ __forceinline__ unsigned bits16(float v) { return (unsigned)__bfloat16_as_ushort(__float2bfloat16_rn(v)); }
                __device__ __forceinline__ unsigned pack2(float a, float b) { return bits16(a) | (bits16(b) << 16); }
                """
        case .f64:
            preconditionFailure("SpMMProblem rejects f64")
        }
    }

    /// The raw C type moved by one load of `count` elements (`count * byteWidth` bytes).
    static func rawType(_ type: ElementType, count: Int) -> String {
        switch (type.byteWidth, count) {
        case (4, 1): "float"
        case (4, 2): "float2"
        case (4, 4): "float4"
        case (2, 1): "unsigned short"
        case (2, 2): "unsigned int"
        case (2, 4): "uint2"
        case (2, 8): "uint4"
        default: preconditionFailure("no \(count)-element vector of \(type.rawValue); validation allows only these")
        }
    }

    /// The C type of `count` packed int32 column indices.
    static func indexType(count: Int) -> String {
        switch count {
        case 1: "int"
        case 2: "int2"
        case 4: "int4"
        default: preconditionFailure("sparse vector width is 1, 2 or 4")
        }
    }

    /// Component names of a CUDA vector type, in memory order.
    private static let lanes = ["x", "y", "z", "w"]

    /// `load_x(p, o)`: reads `width` consecutive elements at `p` (aligned to the vector size)
    /// into `o[0..<width]` as fp32. `name` renames the function; `shared` reads a shared memory
    /// pointer with a plain load instead of `__ldg` (the non-coherent path is global only);
    /// `pointee` names the C type `p` points to (a kernel may stage `type`'s elements in a buffer
    /// of another declared type).
    static func denseLoad(_ type: ElementType, width: Int, name: String = "load_x", shared: Bool = false, pointee: String = "elem_t") -> String {
        let raw = rawType(type, count: width)
        let read = shared ? "*reinterpret_cast<const \(raw)*>(p)" : "__ldg(reinterpret_cast<const \(raw)*>(p))"
        return """
            __device__ __forceinline__ void \(name)(const \(pointee)* __restrict__ p, float (&o)[\(width)]) {
              const \(raw) t = \(read);
            \(unpackBody(type, width: width))}
            """
    }

    /// `name(t, o)`: the `width` elements of one raw vector `t` (``rawType(_:count:)``, as loaded)
    /// into `o[0..<width]` as fp32: a kernel that keeps a round of loads in flight as raw words
    /// converts them only when it multiplies them.
    static func denseUnpack(_ type: ElementType, width: Int, name: String) -> String {
        """
        __device__ __forceinline__ void \(name)(const \(rawType(type, count: width))& t, float (&o)[\(width)]) {
        \(unpackBody(type, width: width))}
        """
    }

    /// The statements that convert the raw vector `t` of `width` elements into `o` (fp32).
    private static func unpackBody(_ type: ElementType, width: Int) -> String {
        var body = ""
        switch (type.byteWidth, width) {
        case (4, 1):
            body += "  o[0] = t;\n"
        case (4, _):
            for i in 0..<width { body += "  o[\(i)] = t.\(lanes[i]);\n" }
        case (2, 1):
            body += "  o[0] = lo_f32((unsigned)t);\n"
        case (2, 2):
            body += "  o[0] = lo_f32(t); o[1] = hi_f32(t);\n"
        default:
            for w in 0..<(width / 2) {
                body += "  o[\(2 * w)] = lo_f32(t.\(lanes[w])); o[\(2 * w + 1)] = hi_f32(t.\(lanes[w]));\n"
            }
        }
        return body
    }

    /// `store_y(p, o)`: writes `o[0..<width]` (fp32) to `width` consecutive elements at `p`,
    /// rounding to nearest even for 16-bit types.
    static func denseStore(_ type: ElementType, width: Int) -> String {
        let raw = rawType(type, count: width)
        let value: String
        switch (type.byteWidth, width) {
        case (4, 1): value = "o[0]"
        case (4, 2): value = "make_float2(o[0], o[1])"
        case (4, _): value = "make_float4(o[0], o[1], o[2], o[3])"
        case (2, 1): value = "(unsigned short)bits16(o[0])"
        case (2, 2): value = "pack2(o[0], o[1])"
        case (2, 4): value = "make_uint2(pack2(o[0], o[1]), pack2(o[2], o[3]))"
        default: value = "make_uint4(pack2(o[0], o[1]), pack2(o[2], o[3]), pack2(o[4], o[5]), pack2(o[6], o[7]))"
        }
        return """
            __device__ __forceinline__ void store_y(elem_t* __restrict__ p, const float (&o)[\(width)]) {
              *reinterpret_cast<\(raw)*>(p) = \(value);
            }
            """
    }
}
