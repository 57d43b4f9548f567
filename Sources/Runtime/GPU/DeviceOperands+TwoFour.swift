import CUDA
import SparseFormats

/// W's ``SparseFormats/TwoFourMatrix`` arrays on the device: what the 2:4 kernel family reads.
package struct TwoFourDeviceArrays {
    /// 256 values a 16 x 32 tile, in mma.sp fragment order, as the operands' element type.
    package let values: DeviceBuffer<UInt8>
    /// 16 metadata words a tile.
    package let metadata: DeviceBuffer<UInt32>

    /// The same arrays copied device to device.
    func replica() throws -> TwoFourDeviceArrays {
        try TwoFourDeviceArrays(values: values.duplicate(), metadata: metadata.duplicate())
    }

    init(values: DeviceBuffer<UInt8>, metadata: DeviceBuffer<UInt32>) {
        self.values = values
        self.metadata = metadata
    }

    /// Encodes `w` in the 2:4 format (throwing, with the row, when W is not 2:4) and uploads its
    /// arrays as `type`.
    package init(context: CUDAContext, w: CSRMatrix<Float>, type: ElementType) throws {
        let matrix = try TwoFourMatrix<Float>(csr: w)
        values = try DeviceBuffer(context: context, copying: ElementBytes.encode(matrix.values.isEmpty ? [0] : matrix.values, as: type))
        metadata = try DeviceBuffer(context: context, copying: matrix.metadata.isEmpty ? [0] : matrix.metadata)
    }
}

extension DeviceOperands {
    /// The 2:4 arrays, encoded from W on first use.
    func twoFourArrays() throws -> TwoFourDeviceArrays {
        if let twoFour { return twoFour }
        let arrays = try TwoFourDeviceArrays(context: context, w: host, type: type)
        twoFour = arrays
        return arrays
    }
}
