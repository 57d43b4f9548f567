import Foundation

/// What a path names on disk.
package enum PathKind: Equatable {
    case missing, file, folder

    package init(_ path: String) {
        var isFolder: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
        self = !exists ? .missing : isFolder.boolValue ? .folder : .file
    }
}
