import Foundation

/// Where mg's words go. Human text goes to stdout, or to stderr under `--json` (stdout then
/// carries only JSON); warnings and errors always go to stderr. Colour only on a terminal,
/// never with `NO_COLOR` or `--no-color`.
struct Console: Sendable {
    let color: Bool
    let quiet: Bool
    let json: Bool

    /// A console for the command line's own errors, before any command parsed its flags.
    init(json: Bool) {
        quiet = false
        self.json = json
        color = false
    }

    init(options: GlobalOptions, environment: [String: String] = ProcessInfo.processInfo.environment) {
        quiet = options.quiet
        json = options.json
        let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        // Inside a git hook mg never assumes a terminal.
        let inHook = environment["MG_HOOK"] != nil
        color = !options.noColor && !noColor && !inHook && isatty(json ? STDERR_FILENO : STDOUT_FILENO) == 1
            && environment["TERM"] != "dumb"
    }

    /// Normal output (suppressed by `--quiet`).
    func info(_ text: String) {
        guard !quiet else { return }
        if json { write(text + "\n", to: FileHandle.standardError) } else { write(text + "\n", to: FileHandle.standardOutput) }
    }

    /// The command's result: printed even with `--quiet`.
    func result(_ text: String, terminator: Bool = true) {
        let line = terminator ? text + "\n" : text
        write(line, to: json ? FileHandle.standardError : FileHandle.standardOutput)
    }

    /// One JSON object on stdout (only with `--json`).
    func emit(_ object: [String: Any]) {
        guard json,
            let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return }
        write(String(decoding: data, as: UTF8.self) + "\n", to: FileHandle.standardOutput)
    }

    func warning(_ text: String) {
        write(paint("warning:", "33") + " " + text + "\n", to: FileHandle.standardError)
    }

    func error(_ text: String) {
        write(paint("error:", "31;1") + " " + text + "\n", to: FileHandle.standardError)
    }

    /// `text` in the ANSI style `code` when colour is on.
    func paint(_ text: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    /// Writes `text`; a reader that went away (`mg fix … | head -1`) is not mg's failure: the
    /// write is dropped (SIGPIPE is ignored) and the session goes on to its end.
    private func write(_ text: String, to handle: FileHandle) {
        LiveViewSink.write(text, to: handle.fileDescriptor)
    }
}
