import SparseFormats

/// A defect in a file that Sparrow was asked to read or write.
///
/// The description is always one line: the file path, then where in the file
/// (npz member or safetensors tensor, byte offset or text line) when known, then
/// the defect. Tests match on ``kind``; people read ``description``.
public struct SparseIOError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file being read or written.
    public var path: String
    /// The npz member or safetensors tensor the defect is in, if any.
    public var member: String?
    /// Byte offset in the file (or in the member, when `member` is set), if known.
    public var offset: Int?
    /// 1-based line number for text formats, if known.
    public var line: Int?
    public var defect: Defect

    public init(path: String, member: String? = nil, offset: Int? = nil, line: Int? = nil, _ defect: Defect) {
        self.path = path
        self.member = member
        self.offset = offset
        self.line = line
        self.defect = defect
    }

    /// The kind of defect, without its details; what tests assert.
    public var kind: Defect.Kind { defect.kind }

    public var description: String {
        var text = path
        if let member { text += ": '\(Self.oneLine(member))'" }
        if let line { text += ": line \(line)" }
        if let offset { text += ": byte \(offset)" }
        return text + ": " + Self.oneLine(defect.description)
    }

    /// Replaces line breaks and other control characters so a message stays on one line.
    static func oneLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map {
            $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}" ? " " : $0
        }))
    }
}
