import Foundation
import SparseFormats
import Testing
@testable import SparseIO

struct RoundTripTests {
    let folder: URL

    init() throws { folder = try scratchDirectory("roundtrip") }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    @Test func npyEveryDtypeAndShape() throws {
        var written = 0
        for tensor in sampleTensors() where tensor.dtype.npyDescr != nil {
            let file = path("t.npy")
            try NPY.write(tensor, to: file)
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            // The data starts at a multiple of 64, as NumPy writes it.
            #expect((data.count - tensor.bytes.count) % 64 == 0, "\(tensor.dtype) \(tensor.shape)")
            #expect(try NPY.read(file) == tensor)
            #expect(try SparseFile.read(file) == .dense(tensor))
            written += 1
        }
        #expect(written == 6 * 8)
    }

    @Test func npyRefusesDtypesItDoesNotCarry() {
        let tensor = AnyDenseTensor(shape: [2], values: [BFloat16(Float(1)), BFloat16(Float(2))])
        #expect { try NPY.write(tensor, to: path("bf16.npy")) } throws: { ($0 as? SparseIOError)?.kind == .unsupportedDType }
    }

    @Test func npyBigEndianIsByteSwapped() throws {
        var header = NPY.header(descr: ">i4", shape: [2])
        header.append(contentsOf: [0, 0, 1, 2, 0xFF, 0xFF, 0xFF, 0xFE])
        guard case let .tensor(tensor) = try NPY.decode(header, path: "be.npy") else { Issue.record("not a tensor"); return }
        #expect(tensor.integers() == [258, -2])
    }

    @Test func safetensorsEveryDtypeWithMetadata() throws {
        var tensors = TensorCollection(metadata: ["a": "b", "üñí": "\"q\"\n"])
        for (index, tensor) in sampleTensors().enumerated() { tensors.append("t\(index)/\(tensor.dtype)", tensor) }
        try Safetensors.write(tensors, to: path("all.safetensors"))
        let back = try Safetensors.read(path("all.safetensors"))
        #expect(back.metadata == tensors.metadata)
        #expect(Set(back.names) == Set(tensors.names))
        for name in tensors.names { #expect(back[name] == tensors[name], "\(name)") }
        let data = try Data(contentsOf: URL(fileURLWithPath: path("all.safetensors")))
        #expect(data.littleEndianInteger(at: 0, width: 8) % 8 == 0)
    }

    @Test func safetensorsOrdersLikeTheReference() throws {
        var tensors = TensorCollection()
        tensors.append("b", AnyDenseTensor(shape: [1], values: [Float(1)]))
        tensors.append("a", AnyDenseTensor(shape: [1], int64: [2]))
        tensors.append("c", AnyDenseTensor(shape: [1], values: [Float(3)]))
        tensors.append("m", AnyDenseTensor(shape: [1], bools: [true]))
        let back = try Safetensors.decode(Safetensors.encode(tensors), path: "mem")
        #expect(back.names == ["a", "b", "c", "m"])  // I64, then F32 by name, then BOOL
    }

    @Test func emptySafetensors() throws {
        let back = try Safetensors.decode(Safetensors.encode(TensorCollection()), path: "mem")
        #expect(back.count == 0)
    }

    @Test func npzSparseRoundTrips() throws {
        for compressed in [true, false] {
            for (label, csr) in sampleCSRs() {
                for matrix in [AnySparseMatrix(csr), AnySparseMatrix(AnyCSRMatrix(csr).converted(to: Double.self))] {
                    try NPZ.write(matrix, to: path("m.npz"), compressed: compressed)
                    #expect(try NPZ.readSparse(path("m.npz")) == matrix, "\(label)")
                }
            }
            for (label, bsr) in sampleBSRs() {
                try NPZ.write(AnySparseMatrix(bsr), to: path("b.npz"), compressed: compressed)
                #expect(try NPZ.readSparse(path("b.npz")) == AnySparseMatrix(bsr), "\(label)")
            }
        }
    }

    @Test func npzRefusesHalfPrecisionSparse() throws {
        let csr = AnyCSRMatrix(sampleCSRs()[1].1).converted(to: Float16.self)
        #expect { try NPZ.write(AnySparseMatrix(csr), to: path("h.npz")) } throws: {
            ($0 as? SparseIOError)?.kind == .unsupportedContent
        }
    }

    @Test func npzDenseArchiveRoundTrips() throws {
        var tensors = TensorCollection()
        for (index, tensor) in sampleTensors().enumerated() where tensor.dtype.npyDescr != nil { tensors.append("x\(index)", tensor) }
        for compressed in [false, true] {
            try NPZ.write(tensors, to: path("plain.npz"), compressed: compressed)
            #expect(try NPZ.read(path("plain.npz")) == .tensors(tensors))
        }
    }

    @Test func matrixMarketRoundTrips() throws {
        for (label, csr) in sampleCSRs() {
            let matrix = AnySparseMatrix(csr)
            try MatrixMarket.write(matrix, to: path("m.mtx"))
            let back = try MatrixMarket.readCSR(path("m.mtx"))
            #expect(back == AnyCSRMatrix(csr).converted(to: Double.self), "\(label)")
            try MatrixMarket.write(matrix, to: path("p.mtx"), pattern: true)
            let pattern = try MatrixMarket.readCSR(path("p.mtx"))
            #expect(pattern.columnIndices == csr.columnIndices && pattern.values.allSatisfy { $0 == 1 }, "\(label)")
        }
    }

    @Test func matrixMarketSymmetricDuplicatesAndArray() throws {
        let text = """
        %%MatrixMarket matrix coordinate integer symmetric
        % lower triangle

        3 3 4
        1 1 2
        3 1 -1
        3 1 5
        2 2 7
        """
        try Data(text.utf8).write(to: URL(fileURLWithPath: path("s.mtx")))
        let m = try MatrixMarket.readCSR(path("s.mtx"))
        // Mirrors added, then (3,1) and its mirror summed: 5 - 1 = 4.
        #expect(m.rowOffsets == [0, 2, 3, 4])
        #expect(m.columnIndices == [0, 2, 1, 0])
        #expect(m.values == [2, 4, 7, 4])
        let array = "%%MatrixMarket matrix array real general\n2 3\n1\n2\n3\n4\n5\n6.5\n"
        try Data(array.utf8).write(to: URL(fileURLWithPath: path("a.mtx")))
        guard case let .dense(tensor) = try MatrixMarket.read(path("a.mtx")) else { Issue.record("not dense"); return }
        #expect(tensor.shape == [2, 3])
        #expect(tensor.doubles() == [1, 3, 5, 2, 4, 6.5])  // column-major on disk
    }

    @Test func smtxReadsWithSeededValues() throws {
        try Data("3, 5, 4\n0 2 2 4\n1 4 0 3\n".utf8).write(to: URL(fileURLWithPath: path("a.smtx")))
        let m: CSRMatrix<Float> = try SMTX.read(path("a.smtx"))
        var generator = SeededGenerator(seed: SMTX.valueSeed)
        #expect(m.rowOffsets == [0, 2, 2, 4] && m.columnIndices == [1, 4, 0, 3])
        #expect(m.values == generator.signedUnitValues(4))
        #expect(try SMTX.read(path("a.smtx"), as: Float.self) == m)  // the same every time
    }

    @Test func dispatchRefusesWhatAFormatCannotHold() throws {
        let sparse = LoadedFile.sparse(AnySparseMatrix(sampleCSRs()[1].1))
        #expect { try SparseFile.write(sparse, to: path("x.npy")) } throws: { ($0 as? SparseIOError)?.kind == .unsupportedContent }
        #expect { try SparseFile.read(path("x.bin")) } throws: { ($0 as? SparseIOError)?.kind == .unknownExtension }
        #expect { try SparseFile.read(path("missing.npy")) } throws: { ($0 as? SparseIOError)?.kind == .cannotOpen }
        #expect { try SparseFile.read(path("missing.npz")) } throws: { ($0 as? SparseIOError)?.kind == .cannotOpen }
        let dense = AnyDenseTensor(try DenseMatrix<Float>(zeros: 2, 3))
        try SparseFile.write(.dense(dense), to: path("d.safetensors"), tensorName: "w")
        guard case let .tensors(t) = try SparseFile.read(path("d.safetensors")) else { Issue.record("not tensors"); return }
        #expect(t["w"]?.matrix(as: Float.self) == (try DenseMatrix<Float>(zeros: 2, 3)))
    }
}
