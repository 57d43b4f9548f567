/// A loaded CUBIN or PTX image (`cuModuleLoadData`), unloaded on deinit.
package final class CUDAModule: @unchecked Sendable {
    // @unchecked: immutable after init.
    package let context: CUDAContext
    let handle: CUHandle

    /// Loads `image`: a CUBIN (ELF) as is, or PTX text (NUL-terminated here if it is not).
    package init(context: CUDAContext, image: [UInt8]) throws {
        guard !image.isEmpty else { throw CUDAError.invalidArgument("empty module image") }
        try context.makeCurrent()
        let isELF = image.starts(with: [0x7F, 0x45, 0x4C, 0x46])
        let bytes = isELF || image.last == 0 ? image : image + [0]
        var handle: CUHandle? = nil
        try bytes.withUnsafeBytes { raw in
            try context.driver.check(context.driver.cuModuleLoadData(&handle, raw.baseAddress), "cuModuleLoadData")
        }
        guard let handle else { throw CUDAError.driver(call: "cuModuleLoadData", code: 0, name: "null module") }
        self.context = context
        self.handle = handle
    }

    /// Loads a compiled kernel.
    package convenience init(context: CUDAContext, kernel: CompiledKernel) throws {
        try self.init(context: context, image: kernel.image)
    }

    deinit {
        _ = context.driver.cuCtxSetCurrent(context.context)
        _ = context.driver.cuModuleUnload(handle)
    }

    /// The `extern "C"` kernel called `name`.
    package func function(_ name: String) throws -> CUDAFunction {
        try context.makeCurrent()
        var function: CUHandle? = nil
        try context.driver.check(context.driver.cuModuleGetFunction(&function, handle, name),
                                 "cuModuleGetFunction(\(name))")
        guard let function else { throw CUDAError.driver(call: "cuModuleGetFunction", code: 0, name: "null function") }
        return CUDAFunction(module: self, handle: function, name: name)
    }
}

/// What the driver reports about a loaded kernel (`cuFuncGetAttribute`).
package struct FunctionAttributes: Codable, Hashable, Sendable {
    /// Registers per thread (`CU_FUNC_ATTRIBUTE_NUM_REGS`).
    package var registers: Int
    /// Local memory per thread in bytes, spills included (`CU_FUNC_ATTRIBUTE_LOCAL_SIZE_BYTES`).
    package var localBytes: Int
    /// Static shared memory per block (`CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES`).
    package var staticSharedBytes: Int
    /// Largest block this kernel can launch with (`CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK`).
    package var maxThreadsPerBlock: Int
    /// Current dynamic shared memory limit (`CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES`).
    package var maxDynamicSharedBytes: Int
    /// Virtual architecture of the PTX and real architecture of the binary, e.g. 90.
    package var ptxVersion: Int
    package var binaryVersion: Int
}

/// A kernel in a loaded module. Holds its module alive.
package final class CUDAFunction: @unchecked Sendable {
    // @unchecked: immutable after init.
    package let module: CUDAModule
    package let name: String
    let handle: CUHandle

    init(module: CUDAModule, handle: CUHandle, name: String) {
        self.module = module
        self.handle = handle
        self.name = name
    }

    var context: CUDAContext { module.context }

    /// `CUfunction_attribute` values (cuda.h).
    enum Attribute: Int32 {
        case maxThreadsPerBlock = 0
        case sharedSizeBytes = 1
        case localSizeBytes = 3
        case numRegs = 4
        case ptxVersion = 5
        case binaryVersion = 6
        case maxDynamicSharedSizeBytes = 8
    }

    func attribute(_ attribute: Attribute) throws -> Int {
        try context.makeCurrent()
        var value: Int32 = 0
        try context.driver.check(context.driver.cuFuncGetAttribute(&value, attribute.rawValue, handle),
                                 "cuFuncGetAttribute(\(name), \(attribute))")
        return Int(value)
    }

    /// Registers, local (spill) bytes, static shared memory and limits of this kernel.
    package func attributes() throws -> FunctionAttributes {
        FunctionAttributes(
            registers: try attribute(.numRegs), localBytes: try attribute(.localSizeBytes),
            staticSharedBytes: try attribute(.sharedSizeBytes), maxThreadsPerBlock: try attribute(.maxThreadsPerBlock),
            maxDynamicSharedBytes: try attribute(.maxDynamicSharedSizeBytes),
            ptxVersion: try attribute(.ptxVersion), binaryVersion: try attribute(.binaryVersion))
    }

    /// Allows `bytes` of dynamic shared memory per block. Above 48 KB the kernel must opt in
    /// (`cuFuncSetAttribute(CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES)`), up to the
    /// device's per-block opt-in limit minus the kernel's static shared memory.
    package func allowDynamicSharedMemory(_ bytes: Int) throws {
        guard bytes >= 0, bytes <= Int(Int32.max) else {
            throw CUDAError.invalidArgument("dynamic shared memory \(bytes) bytes")
        }
        try context.makeCurrent()
        try context.driver.check(
            context.driver.cuFuncSetAttribute(handle, Attribute.maxDynamicSharedSizeBytes.rawValue, Int32(bytes)),
            "cuFuncSetAttribute(\(name), MAX_DYNAMIC_SHARED_SIZE_BYTES=\(bytes))")
    }
}
