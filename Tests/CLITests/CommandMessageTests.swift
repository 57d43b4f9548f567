import Foundation
import SparseFormats
import SparseIO
import Testing

/// Every failure is exactly one line on stderr, `sparrow: ...`, with exit status 1: bad values,
/// folders where files belong, unwritable outputs and ArgumentParser's own usage errors.
@Suite("sparrow's one-line messages")
final class CommandMessageTests: Sendable {
    let folder: URL

    deinit { try? FileManager.default.removeItem(at: folder) }

    init() throws {
        folder = try cliScratch("messages")
        try SparseFile.write(.dense(AnyDenseTensor(seededMatrix(4, 6, seed: 71, zeros: 0.5))), to: folder.appendingPathComponent("w.npy").path)
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: false)
    }

    func path(_ name: String) -> String { folder.appendingPathComponent(name).path }

    /// Runs `sparrow arguments...` in the scratch folder and checks the one line and exit 1.
    func expectFailure(_ arguments: [String], _ line: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try runSparrow(arguments, in: folder)
        #expect(!result.signalled, sourceLocation: sourceLocation)
        #expect(result.status == 1, "exit status \(result.status)", sourceLocation: sourceLocation)
        #expect(result.stderrLines == [Substring(line)], sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, sourceLocation: sourceLocation)
    }

    @Test func aNegativeSparsityNamesTheRange() throws {
        try expectFailure(["prune", "w.npy", "p.npy", "--sparsity", "-0.1"], "sparrow: --sparsity must be in [0, 1], got -0.1")
    }

    @Test func aNegativeValueOfAListOptionIsNamed() throws {
        try expectFailure(
            ["bench", "spmm", "--suite", "synthetic", "--sparsity", "-0.1"],
            "sparrow: --sparsity: the negative value -0.1 is out of range (see sparrow bench spmm --help)")
    }

    @Test func aFolderAsInputIsCalledOne() throws {
        try expectFailure(["info", "sub"], "sparrow: sub: is a directory; expected a .npy, .npz, .safetensors, .mtx or .smtx file")
    }

    @Test func tensorOnASingleMatrixIsAnError() throws {
        try expectFailure(
            ["convert", "w.npy", "w.npz", "--tensor", "encoder.weight"],
            "sparrow: w.npy: holds one matrix, not named tensors, so --tensor has nothing to choose (it selects a tensor of a .safetensors or np.savez .npz, or names the tensor written to .safetensors)")
    }

    @Test func aMissingOutputFolderIsNamed() throws {
        try expectFailure(["convert", "w.npy", "none/w.npz"], "sparrow: none/w.npz: cannot write: no such folder \(path("none"))")
    }

    @Test func aFolderAsOutputIsCalledOne() throws {
        try expectFailure(["prune", "w.npy", "sub", "--sparsity", "0.5"], "sparrow: sub: is a directory; give a file path such as sub/out.npz")
    }

    @Test func aFileAsOutputFolderIsNamed() throws {
        try expectFailure(["convert", "w.npy", "w.npy/x.npz"], "sparrow: w.npy/x.npz: cannot write: \(path("w.npy")) is a file, not a folder")
    }

    // root may write anywhere, so the permission check only shows for other users.
    @Test(.enabled(if: getuid() != 0, "root is never denied permission"))
    func aReadOnlyFolderSaysPermissionDenied() throws {
        try FileManager.default.setAttributes([.posixPermissions: 0o500], ofItemAtPath: path("sub"))
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: path("sub")) }
        try expectFailure(["convert", "w.npy", "sub/w.npz"], "sparrow: sub/w.npz: cannot write: permission denied for the folder \(path("sub"))")
    }

    @Test func argumentParserErrorsAreOneLineWithTheHelpCommand() throws {
        try expectFailure(["prune", "w.npy"], "sparrow: Missing expected argument '<output>' (see sparrow prune --help)")
        try expectFailure(["convert", "w.npy", "w.npz", "--bogus"], "sparrow: Unknown option '--bogus' (see sparrow convert --help)")
        try expectFailure(["convert", "w.npy", "w.npz", "--dtype", "f8"], "sparrow: The value 'f8' is invalid for '--dtype <dtype>'. Please provide one of 'f64', 'f32', 'f16' or 'bf16' (see sparrow convert --help)")
        try expectFailure(["frobnicate"], "sparrow: Unexpected argument 'frobnicate' (see sparrow --help)")
    }

    @Test func helpStillPrintsInFull() throws {
        let result = try runSparrow(["prune", "--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: sparrow prune <input> <output>"))
        #expect(result.stdout.contains("--include-embeddings"))
        #expect(result.stdout.contains("--skip-unfit"))
    }
}
