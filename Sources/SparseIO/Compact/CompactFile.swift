import Foundation
import SparseFormats

/// Sparrow's file for the compact weight formats (`.spc`): one matrix in CSR16, delta4, bitmap8x8,
/// 2:4 or fcoo16 (``SparseFormats/CSR16Matrix``, ``SparseFormats/DeltaCSRMatrix``,
/// ``SparseFormats/BitmapTiledMatrix``, ``SparseFormats/TwoFourMatrix``,
/// ``SparseFormats/FragmentCOOMatrix``), its arrays exactly as kernels read them.
///
/// Layout, version 2, little-endian throughout:
///
/// | offset | bytes | field |
/// | --- | --- | --- |
/// | 0 | 8 | magic `SPRWCMP` and the version byte 2 |
/// | 8 | 4 | format: 1 csr16, 2 delta4, 3 bitmap8x8, 4 2:4, 5 fcoo16 |
/// | 12 | 4 | element type: 1 f64, 2 f32, 3 f16, 4 bf16 |
/// | 16 | 8 | rows N (at most 2^31 - 1) |
/// | 24 | 8 | columns K (at most 2^31 - 1) |
/// | 32 | 8 | A: offsets (Int32 each; 2:4 has none) |
/// | 40 | 8 | B: index items (csr16: UInt16 column indices; delta4: bytes of nibbles; bitmap8x8: UInt64 masks; 2:4: UInt32 metadata words; fcoo16: UInt8 positions) |
/// | 48 | 8 | C: values (elements of the element type) |
/// | 56 | | the arrays, each starting at a multiple of 8 (zero bytes between) |
///
/// Arrays in order: csr16 `offsets[A]`, `indices[B]`, `values[C]`; delta4 `rowOffsets[A]`,
/// `nibbles[B]`, `values[C]`; bitmap8x8 `masks[B]`, `tileOffsets[A]`, `values[C]`; 2:4
/// `metadata[B]`, `values[C]`; fcoo16 `blockOffsets[A]`, `positions[B]`, `values[C]`. The file ends with the values. The counts must agree before
/// anything is allocated: csr16 `A = panels x N + 1` and `B = C`; delta4 `A = N + 1` and
/// `B = ceil(C / 2)`; bitmap8x8 `B = 4 x ceil(N / 16) x ceil(K / 16)` (tiles in 16 x 16 blocks,
/// strip by strip: ``SparseFormats/BitmapTiledMatrix``) and `A = B + 1`; 2:4 `A = 0`,
/// `B = 16 x tiles` and `C = 256 x tiles` for `tiles = ceil(N / 16) x ceil(K / 32)` (16 x 32
/// tiles strip by strip, values in mma.sp fragment order, padding included:
/// ``SparseFormats/TwoFourMatrix``); fcoo16 `A = ceil(N / 16) x ceil(K / 16) + 1` (16 x 16 blocks
/// strip by strip: ``SparseFormats/FragmentCOOMatrix``) and `B = C`; and the file's size must equal the layout's exactly. The
/// arrays are then validated by the format's own initialiser.
///
/// Versions: 2 changed bitmap8x8's tile order to 16 x 16 blocks strip by strip (version 1 stored
/// the 8 x 8 tiles row by row); csr16 and delta4 are laid out alike in both. A version-1 file of
/// csr16 or delta4 is read; a version-1 bitmap8x8 file is refused (its tiles would be read in
/// the wrong order), with a message to convert the matrix again. 2:4 (code 4) was added later
/// without a new version, since it changes no other format's layout; a version-1 file never holds
/// it, and one that claims to is refused. fcoo16 (code 5) likewise.
public enum CompactFile {
    /// The formats, with their codes in the header.
    public enum Format: UInt32, Sendable, CaseIterable, CustomStringConvertible {
        case csr16 = 1
        case delta4 = 2
        case bitmap8x8 = 3
        case twoFour = 4
        case fcoo16 = 5

        /// As `sparrow convert --format` names it.
        public var description: String {
            switch self {
            case .csr16: CSR16Matrix<Float>.formatName
            case .delta4: DeltaCSRMatrix<Float>.formatName
            case .bitmap8x8: BitmapTiledMatrix<Float>.formatName
            case .twoFour: TwoFourMatrix<Float>.formatName
            case .fcoo16: FragmentCOOMatrix<Float>.formatName
            }
        }

        /// Bytes of one item of the B array.
        var indexItemBytes: Int {
            switch self {
            case .csr16: 2
            case .delta4: 1
            case .bitmap8x8: 8
            case .twoFour: 4
            case .fcoo16: 1
            }
        }

        /// The codes and names, for messages: `1 csr16, 2 delta4, ...`.
        static var codeList: String { allCases.map { "\($0.rawValue) \($0)" }.joined(separator: ", ") }
    }

    static let magicPrefix: [UInt8] = Array("SPRWCMP".utf8)
    /// The version this Sparrow writes, and the oldest it reads (see the versions above).
    static let version: UInt8 = 2
    static let oldestReadVersion: UInt8 = 1
    static let magic: [UInt8] = magicPrefix + [version]
    static let headerBytes = 56

    /// The header's element-type codes.
    static func code(_ type: ElementType) -> UInt32 {
        switch type {
        case .f64: 1
        case .f32: 2
        case .f16: 3
        case .bf16: 4
        }
    }

    static func elementType(code: UInt32) -> ElementType? {
        [1: .f64, 2: .f32, 3: .f16, 4: .bf16][code]
    }

    /// `offset` rounded up to a multiple of 8.
    static func aligned(_ offset: Int) -> Int { (offset + 7) / 8 * 8 }

    /// What one file holds, and what it costs to read.
    public struct Contents: Sendable, Hashable {
        public var format: Format
        public var elementType: ElementType
        public var rows: Int
        public var columns: Int
        /// Nonzeros (delta4's zero padding entries and 2:4's zero padding values are not counted;
        /// 2:4 keeps no stored zeros at all).
        public var nonzeros: Int
        /// Values the file stores: the nonzeros, and delta4's zero padding entries that bridge
        /// gaps of more than 15 columns; for 2:4, 256 a tile (half the tile's weights, whatever the nonzeros).
        public var storedEntries: Int
        /// Bytes of the arrays a kernel reads (the format's `storageBytes`).
        public var storageBytes: Int
        /// The matrix decoded to canonical CSR, for every command that reads sparse files.
        public var csr: AnySparseMatrix

        /// ``storageBytes`` over the N x K weights.
        public var bytesPerWeight: Double {
            rows * columns == 0 ? 0 : Double(storageBytes) / (Double(rows) * Double(columns))
        }
    }
}
