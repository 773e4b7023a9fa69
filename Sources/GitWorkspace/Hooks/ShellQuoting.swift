/// Quoting for `/bin/sh` command lines mg writes: hook scripts, sandboxed tool commands.
package enum ShellQuoting {
    /// `'text'` with embedded quotes escaped, safe as one shell word.
    package static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
