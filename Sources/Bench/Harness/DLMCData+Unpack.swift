import Foundation

extension DLMCData {
    /// A DLMC archive Sparrow can unpack: its file name, tar's decompression flag and the
    /// members to take (all when empty).
    package struct Archive: Sendable, Hashable {
        package var name: String
        var decompress: String
        var members: [String]
    }

    /// The archives that hold `model`'s magnitude-pruned matrices, in the order tried: the
    /// per-model `.tar.xz` files of `../shared/data`, then the public `dlmc.tar.gz` of
    /// google-research/sgk (every model and pruning method; only this model's magnitude-pruned
    /// matrices and the rn50 spatial sizes are taken from it).
    package static func archives(model: String) -> [Archive] {
        let own = model == "rn50" ? "dlmc-rn50-magnitude.tar.xz" : "dlmc-\(model)-magnitude-0.9.tar.xz"
        var members = ["*\(model)/magnitude_pruning/*"]
        if model == "rn50" { members.append("*rn50_batchsizes.txt") }
        return [Archive(name: own, decompress: "-J", members: []), Archive(name: "dlmc.tar.gz", decompress: "-z", members: members)]
    }

    /// The file written last into an unpacked archive's cache folder, after tar succeeded: it
    /// names the archive and its size. A folder without it (or naming another archive) is an
    /// interrupted or stale unpack.
    package static let markerName = ".sparrow-unpacked"

    /// The cache folder for `archive` unpacked for `model`.
    package func cacheFolder(_ archive: Archive, model: String) -> URL {
        cacheDirectory.appendingPathComponent("\(model)-\(archive.name)")
    }

    /// Unpacks `archive` (at `path`) into its cache folder unless a complete unpack of the same
    /// file is there; returns the folder holding `<model>/magnitude_pruning`.
    func unpack(_ archive: Archive, at path: URL, model: String, note: (String) -> Void) throws -> URL {
        let fm = FileManager.default
        let folder = cacheFolder(archive, model: model)
        let marker = folder.appendingPathComponent(Self.markerName)
        let stamp = "\(path.standardizedFileURL.path)\n\(((try? fm.attributesOfItem(atPath: path.path))?[.size] as? Int) ?? -1)\n"
        if fm.fileExists(atPath: folder.path) {
            if (try? String(contentsOf: marker, encoding: .utf8)) == stamp, let root = Self.root(in: folder, model: model) {
                return root
            }
            note("\(folder.path): an incomplete or stale unpack (no completion marker for \(path.path)); removing it and unpacking again")
            try fm.removeItem(at: folder)
        }
        try fm.createDirectory(at: folder, withIntermediateDirectories: true)
        note("unpacking \(path.path) into \(folder.path) (once)")
        var arguments = ["tar", "-x", archive.decompress, "-f", path.path, "-C", folder.path]
        if !archive.members.isEmpty {
            #if os(Linux)
            arguments.append("--wildcards")  // GNU tar takes member patterns only with this
            #endif
            arguments += archive.members
        }
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tar.arguments = arguments
        let errors = Pipe()
        tar.standardError = errors
        try tar.run()
        // Read to the end before waiting, so a full pipe cannot block tar.
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        tar.waitUntilExit()
        guard tar.terminationStatus == 0 else {
            let reason = message.split(separator: "\n").first.map { ": \($0)" } ?? ""
            throw SuiteError("\(path.path): tar -x \(archive.decompress) failed with status \(tar.terminationStatus)\(reason)")
        }
        guard let root = Self.root(in: folder, model: model) else {
            throw SuiteError("\(path.path): unpacked, but it holds no \(model)/magnitude_pruning folder")
        }
        // Written last: its presence means every member above was written.
        try Data(stamp.utf8).write(to: marker, options: .atomic)
        return root
    }
}
