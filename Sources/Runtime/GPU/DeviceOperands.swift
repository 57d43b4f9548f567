import CUDA
import Foundation
import KernelGen
import SparseFormats

/// Host values converted to the bytes of one element type, for upload.
package enum ElementBytes {
    /// `values` converted to `type` (rounding to nearest even), as the bytes a kernel reads.
    package static func encode(_ values: [Float], as type: ElementType) -> [UInt8] {
        type.visit(Encode(values: values))
    }

    /// Elements of `type` widened to Float.
    package static func decode(_ bytes: [UInt8], as type: ElementType) -> [Float] {
        type.visit(Decode(bytes: bytes))
    }

    private struct Encode: ElementTypeVisitor {
        let values: [Float]
        func visit<T: SparseElement>(_ type: T.Type) -> [UInt8] {
            values.map { T($0) }.withUnsafeBytes { Array($0) }
        }
    }

    private struct Decode: ElementTypeVisitor {
        let bytes: [UInt8]
        func visit<T: SparseElement>(_ type: T.Type) -> [Float] {
            // Every SparseElement is stored as its bytes (BFloat16 as its 16-bit pattern).
            bytes.withUnsafeBytes { raw in raw.bindMemory(to: T.self).map(\.floatValue) }
        }
    }

    /// Bytes for `count` elements, rounded up to whole 32-bit words so the output can be
    /// poisoned with 32-bit fills.
    package static func paddedByteCount(_ count: Int, _ type: ElementType) -> Int {
        (count * type.byteWidth + 3) / 4 * 4
    }

    /// A 32-bit word of NaNs in `type` (two per word for 16-bit types), to poison outputs.
    package static func nanWord(_ type: ElementType) -> UInt32 {
        switch type {
        case .f32, .f64: 0x7FC0_0000  // f64: every word 0x7FC00000 reads as a NaN too
        case .f16: 0x7E00_7E00
        case .bf16: 0x7FC0_7FC0
        }
    }
}

/// The operands of Y = W X on the device, in one element type, plus the optional
/// bias and row order. Buffers are freed when this is released.
package final class DeviceOperands {
    package let type: ElementType
    package let rows: Int, columns: Int, m: Int, nnz: Int
    package let rowOffsets: DeviceBuffer<Int32>
    package let columnIndices: DeviceBuffer<Int32>
    package let values: DeviceBuffer<UInt8>
    package let x: DeviceBuffer<UInt8>
    package let y: DeviceBuffer<UInt8>
    package let bias: DeviceBuffer<UInt8>?
    package let rowOrder: DeviceBuffer<Int32>?
    /// W on the host, for the compact formats' arrays (built on first use).
    let host: CSRMatrix<Float>
    let context: CUDAContext
    /// CSR16's 16-bit column indices (one panel), padded like ``values``.
    private var columnIndices16: DeviceBuffer<UInt16>?
    /// delta4's entry offsets, nibbles and values (padding entries included), padded like ``values``.
    private var delta: (offsets: DeviceBuffer<Int32>, nibbles: DeviceBuffer<UInt8>, values: DeviceBuffer<UInt8>)?
    /// The bitmap format's masks, tile offsets and values (padded like ``values``); see DeviceOperands+Bitmap.swift.
    var bitmap: BitmapDeviceArrays?
    /// The 2:4 format's values and metadata; see DeviceOperands+TwoFour.swift.
    var twoFour: TwoFourDeviceArrays?
    /// The fragment-COO format's offsets, positions and values; see DeviceOperands+FragmentCOO.swift.
    var fragmentCOO: FragmentCOODeviceArrays?
    /// The K-split kernels' workspace (zeros between launches; see ``splitScratch()``).
    private var split: (partials: DeviceBuffer<Float>, counters: DeviceBuffer<Int32>)?
    /// Permutations of W's rows for configs whose row-order knob is set (built on first use).
    private var knobOrders: [RowOrdering: DeviceBuffer<Int32>] = [:]

    /// Entry arrays are padded to a multiple of this many entries: a kernel may load whole aligned
    /// vectors of up to 8 entries that start before the array's end (the compact kernel's contract).
    package static let entryPadding = 8

    /// `array` with zeros appended up to a multiple of `multiple` entries (``entryPadding`` unless
    /// told; at least one).
    static func padded<T: Numeric>(_ array: [T], to multiple: Int = entryPadding) -> [T] {
        let count = max(1, (array.count + multiple - 1) / multiple * multiple)
        return array + [T](repeating: 0, count: count - array.count)
    }

    package init(device: GPUDevice, w: CSRMatrix<Float>, x hostX: [Float], m: Int, type: ElementType,
         bias hostBias: [Float]? = nil, rowOrder hostOrder: [Int32]? = nil) throws {
        let context = device.context
        self.context = context
        host = w
        self.type = type
        rows = w.rows
        columns = w.columns
        self.m = m
        nnz = w.nnz
        // Zero-length buffers have address 0; give every buffer at least one element so
        // kernels never see a null pointer, even for nnz = 0.
        rowOffsets = try DeviceBuffer(context: context, copying: w.rowOffsets)
        columnIndices = try DeviceBuffer(context: context, copying: w.columnIndices.isEmpty ? [0] : w.columnIndices)
        values = try DeviceBuffer(context: context, copying: ElementBytes.encode(Self.padded(w.values), as: type))
        x = try DeviceBuffer(context: context, copying: ElementBytes.encode(hostX.isEmpty ? [0] : hostX, as: type))
        y = try DeviceBuffer(context: context, count: ElementBytes.paddedByteCount(max(1, rows * m), type))
        bias = try hostBias.map { try DeviceBuffer(context: context, copying: ElementBytes.encode($0, as: type)) }
        rowOrder = try hostOrder.map { try DeviceBuffer(context: context, copying: $0) }
    }

    /// A second set of the same operands, every array copied device to device (W's CSR arrays,
    /// X, Y, the bias, the row order, and each format's and row-order knob's arrays built so far): the copies cold
    /// timing rotates through (``ColdRotation``), without converting and uploading W again.
    package func replica() throws -> DeviceOperands {
        try DeviceOperands(replicating: self)
    }

    private init(replicating other: DeviceOperands) throws {
        context = other.context
        host = other.host
        type = other.type
        (rows, columns, m, nnz) = (other.rows, other.columns, other.m, other.nnz)
        rowOffsets = try other.rowOffsets.duplicate()
        columnIndices = try other.columnIndices.duplicate()
        values = try other.values.duplicate()
        x = try other.x.duplicate()
        y = try other.y.duplicate()
        bias = try other.bias?.duplicate()
        rowOrder = try other.rowOrder?.duplicate()
        columnIndices16 = try other.columnIndices16?.duplicate()
        delta = try other.delta.map { (try $0.offsets.duplicate(), try $0.nibbles.duplicate(), try $0.values.duplicate()) }
        bitmap = try other.bitmap?.replica()
        twoFour = try other.twoFour?.replica()
        fragmentCOO = try other.fragmentCOO?.replica()
        split = try other.split.map { (try $0.partials.duplicate(), try $0.counters.duplicate()) }
        knobOrders = try other.knobOrders.mapValues { try $0.duplicate() }
    }

    /// Replaces X (K x m, row-major) with `hostX`, converted to the operands' element type.
    package func upload(x hostX: [Float]) throws {
        precondition(hostX.count == columns * m, "X must hold K x m values")
        guard !hostX.isEmpty else { return }
        try x.upload(ElementBytes.encode(hostX, as: type))
    }

    /// Fills Y with NaN so an element the kernel does not write shows up in the check.
    package func poisonOutput(stream: CUDAStream?) throws {
        try y.fillWords(ElementBytes.nanWord(type), stream: stream)
    }

    /// Y as Float (N x M, row-major).
    package func output() throws -> [Float] {
        let bytes = try y.download()
        return Array(ElementBytes.decode(bytes, as: type).prefix(rows * m))
    }

    package var deviceCSR: DeviceCSR {
        DeviceCSR(rows: rows, columns: columns, nonzeros: nnz, rowOffsets: rowOffsets.address,
                  columnIndices: columnIndices.address, values: values.address)
    }

    /// The launch arguments of a rendered kernel, bound by each parameter's role. `rowOrder` is
    /// the config's row-order knob: when set, the kernel reads that permutation of W's rows
    /// (computed by SparseFormats from W, uploaded once), otherwise the one these operands were
    /// made with.
    package func arguments(for source: KernelSource, rowOrder knob: RowOrdering = .identity) throws -> [KernelArgument] {
        try source.parameters.map { p in
            switch p.role {
            case .rows: return .int32(Int32(rows))
            case .columnsOfX: return .int32(Int32(m))
            case .rowOffsets: return .buffer(rowOffsets)
            case .columnIndices: return .buffer(columnIndices)
            case .values: return .buffer(values)
            case .x: return .buffer(x)
            case .y: return .buffer(y)
            case .bias:
                guard let bias else { throw CUDAError.invalidArgument("kernel \(source.entryPoint) needs a bias") }
                return .buffer(bias)
            case .residual:
                throw CUDAError.invalidArgument("kernel \(source.entryPoint) needs a residual (bind it with the encoder's buffers)")
            case .rowOrder:
                if knob != .identity { return .buffer(try knobOrder(knob)) }
                guard let rowOrder else { throw CUDAError.invalidArgument("kernel \(source.entryPoint) needs a row order") }
                return .buffer(rowOrder)
            case .columnIndices16: return .buffer(try csr16Indices())
            case .deltaOffsets: return .buffer(try delta4().offsets)
            case .deltaNibbles: return .buffer(try delta4().nibbles)
            case .deltaValues: return .buffer(try delta4().values)
            case .bitmapMasks: return .buffer(try bitmapArrays().masks)
            case .bitmapOffsets: return .buffer(try bitmapArrays().offsets)
            case .bitmapValues: return .buffer(try bitmapArrays().values)
            case .twoFourValues: return .buffer(try twoFourArrays().values)
            case .twoFourMetadata: return .buffer(try twoFourArrays().metadata)
            case .fragmentCOOOffsets: return .buffer(try fragmentCOOArrays().offsets)
            case .fragmentCOOPositions: return .buffer(try fragmentCOOArrays().positions)
            case .fragmentCOOValues: return .buffer(try fragmentCOOArrays().values)
            case .splitPartials: return .buffer(try splitScratch().partials)
            case .splitCounters: return .buffer(try splitScratch().counters)
            }
        }
    }

    /// The workspace of the strip/slice kernels' K splits, zeroed once (each launch leaves it zero):
    /// fp32 partials of Y's shape, and a counter per (16-row strip, 8 columns) group, the most any
    /// config's grid has.
    private func splitScratch() throws -> (partials: DeviceBuffer<Float>, counters: DeviceBuffer<Int32>) {
        if let split { return split }
        let partials = try DeviceBuffer<Float>(context: context, count: max(1, rows * m))
        try partials.fillBytes(0)
        let counters = try DeviceBuffer<Int32>(context: context, count: max(1, (rows + 15) / 16 * ((m + 7) / 8)))
        try counters.fillBytes(0)
        split = (partials, counters)
        return (partials, counters)
    }

    /// The permutation `ordering` names for W, on the device.
    private func knobOrder(_ ordering: RowOrdering) throws -> DeviceBuffer<Int32> {
        if let buffer = knobOrders[ordering] { return buffer }
        let rows = ordering.rowOrder(for: host)?.rows ?? RowOrder.identity(host.rows).rows
        let buffer = try DeviceBuffer(context: context, copying: rows.isEmpty ? [0] : rows)
        knobOrders[ordering] = buffer
        return buffer
    }

    /// CSR16's indices: W's column indices as UInt16 (one panel: K <= 65,536).
    private func csr16Indices() throws -> DeviceBuffer<UInt16> {
        if let columnIndices16 { return columnIndices16 }
        guard columns <= CSR16Matrix<Float>.panelWidth else {
            throw CUDAError.invalidArgument("CSR16 with one panel needs K <= \(CSR16Matrix<Float>.panelWidth), K = \(columns)")
        }
        let buffer = try DeviceBuffer(context: context, copying: Self.padded(host.columnIndices.map { UInt16(truncatingIfNeeded: $0) }))
        columnIndices16 = buffer
        return buffer
    }

    /// delta4's arrays, encoded from W by ``SparseFormats/DeltaCSRMatrix``.
    private func delta4() throws -> (offsets: DeviceBuffer<Int32>, nibbles: DeviceBuffer<UInt8>, values: DeviceBuffer<UInt8>) {
        if let delta { return delta }
        let matrix = try DeltaCSRMatrix<Float>(csr: host)
        let arrays = (
            offsets: try DeviceBuffer(context: context, copying: matrix.rowOffsets),
            nibbles: try DeviceBuffer(context: context, copying: Self.padded(matrix.deltas)),
            values: try DeviceBuffer(context: context, copying: ElementBytes.encode(Self.padded(matrix.values), as: type)))
        delta = arrays
        return arrays
    }
}
