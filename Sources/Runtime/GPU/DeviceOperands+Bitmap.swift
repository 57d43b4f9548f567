import CUDA
import SparseFormats

/// W's ``SparseFormats/BitmapTiledMatrix`` arrays on the device: what the bitmap kernel family reads.
package struct BitmapDeviceArrays {
    package let masks: DeviceBuffer<UInt64>
    package let offsets: DeviceBuffer<Int32>
    /// Values padded to a multiple of ``DeviceOperands/entryPadding`` entries: the kernel copies
    /// whole aligned 16-byte pieces that start before the run's end.
    package let values: DeviceBuffer<UInt8>

    /// The same arrays copied device to device.
    func replica() throws -> BitmapDeviceArrays {
        try BitmapDeviceArrays(masks: masks.duplicate(), offsets: offsets.duplicate(), values: values.duplicate())
    }

    init(masks: DeviceBuffer<UInt64>, offsets: DeviceBuffer<Int32>, values: DeviceBuffer<UInt8>) {
        self.masks = masks
        self.offsets = offsets
        self.values = values
    }

    /// Encodes `w` in the bitmap format and uploads its arrays as `type`.
    package init(context: CUDAContext, w: CSRMatrix<Float>, type: ElementType) throws {
        let matrix = try BitmapTiledMatrix<Float>(csr: w)
        masks = try DeviceBuffer(context: context, copying: matrix.masks.isEmpty ? [0] : matrix.masks)
        offsets = try DeviceBuffer(context: context, copying: matrix.tileOffsets)
        values = try DeviceBuffer(context: context, copying: ElementBytes.encode(DeviceOperands.padded(matrix.values), as: type))
    }
}

extension DeviceOperands {
    /// The bitmap arrays, encoded from W on first use.
    func bitmapArrays() throws -> BitmapDeviceArrays {
        if let bitmap { return bitmap }
        let arrays = try BitmapDeviceArrays(context: context, w: host, type: type)
        bitmap = arrays
        return arrays
    }
}
