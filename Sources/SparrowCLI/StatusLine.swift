import Bench
import Foundation
import Synchronization

/// stderr for a long command: notes and finished work as lines, and on a terminal what is being
/// done now as one status line rewritten in place (carriage return) below them.
final class StatusLine: Sendable {
    private let terminal: Bool
    private let state = Mutex(State())

    private struct State {
        /// Whether a status line is on screen without its newline yet.
        var open = false
        /// The last estimate of the time left, kept on the status line between problems.
        var secondsLeft: Double?
    }

    init() { terminal = isatty(STDERR_FILENO) == 1 }

    /// One line that stays; a status line on screen is ended first.
    func note(_ text: String) {
        state.withLock { state in
            write((state.open ? "\n" : "") + text + "\n")
            state.open = false
        }
    }

    /// Finished problems are lines that stay (with the time left); on a terminal, each step in
    /// between rewrites one status line below them, the time left first.
    func progress(_ update: BenchProgress) {
        guard update.kind == .step else {
            state.withLock { state in
                write((state.open ? "\r\u{1B}[K" : "") + update.logLine + "\n")
                state.open = false
                state.secondsLeft = update.secondsLeft
            }
            return
        }
        let left = state.withLock { $0.secondsLeft }
        step((left.map { "(about \(BenchProgress.duration($0)) left) " } ?? "") + update.line)
    }

    /// On a terminal, `text` as the one status line, rewritten in place; nothing otherwise.
    func step(_ text: String) {
        guard terminal else { return }
        state.withLock { state in
            // Clipped to the width, so the carriage return always returns to this line's start.
            let width = Self.columns
            write("\r\u{1B}[K" + (text.count < width ? text : String(text.prefix(width - 2)) + "…"))
            state.open = true
        }
    }

    /// Ends a status line on screen, before the command's last words.
    func finish() {
        state.withLock { state in
            if state.open { write("\n") }
            state.open = false
        }
    }

    /// The terminal's width (80 when it does not say).
    private static var columns: Int {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 10 else { return 80 }
        return Int(size.ws_col)
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
