import CUDA
import SparseFormats

/// W's ``SparseFormats/FragmentCOOMatrix`` arrays on the device: what the fragment-COO kernel family reads.
package struct FragmentCOODeviceArrays {
    package let offsets: DeviceBuffer<Int32>
    /// Positions padded to a multiple of 16 entries and values to a multiple of
    /// ``DeviceOperands/entryPadding``: the kernel copies whole aligned 16-byte pieces that start
    /// before a run's end.
    package let positions: DeviceBuffer<UInt8>
    package let values: DeviceBuffer<UInt8>

    /// Positions are padded to whole 16-byte pieces.
    static let positionPadding = 16

    /// The same arrays copied device to device.
    func replica() throws -> FragmentCOODeviceArrays {
        try FragmentCOODeviceArrays(offsets: offsets.duplicate(), positions: positions.duplicate(), values: values.duplicate())
    }

    init(offsets: DeviceBuffer<Int32>, positions: DeviceBuffer<UInt8>, values: DeviceBuffer<UInt8>) {
        self.offsets = offsets
        self.positions = positions
        self.values = values
    }

    /// Encodes `w` in the fragment-COO format and uploads its arrays as `type`.
    package init(context: CUDAContext, w: CSRMatrix<Float>, type: ElementType) throws {
        let matrix = try FragmentCOOMatrix<Float>(csr: w)
        offsets = try DeviceBuffer(context: context, copying: matrix.blockOffsets)
        positions = try DeviceBuffer(context: context, copying: DeviceOperands.padded(matrix.positions, to: Self.positionPadding))
        values = try DeviceBuffer(context: context, copying: ElementBytes.encode(DeviceOperands.padded(matrix.values), as: type))
    }
}

extension DeviceOperands {
    /// The fragment-COO arrays, encoded from W on first use.
    func fragmentCOOArrays() throws -> FragmentCOODeviceArrays {
        if let fragmentCOO { return fragmentCOO }
        let arrays = try FragmentCOODeviceArrays(context: context, w: host, type: type)
        fragmentCOO = arrays
        return arrays
    }
}
