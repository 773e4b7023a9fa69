extension HookInstaller {
    /// The `/bin/sh` script of an mg hook.
    ///
    /// Standard input (pre-push's ref list, post-rewrite's pairs) is saved once so the chained
    /// hook and mg both read all of it. `MG_HOOK` tells mg it runs inside a hook: no prompts,
    /// no terminal assumptions.
    static func script(name: String, arguments: [String], executable: String) -> String {
        let command = arguments.map(shellQuoted).joined(separator: " ")
        let display = arguments.joined(separator: " ")
        return """
            #!/bin/sh
            \(marker)
            # mg-command: \(display)
            # Runs the hook that was here before mg (\(name)\(chainedSuffix)) first, with the same
            # arguments and input, then mg. Undo with `mg hook uninstall \(name)`.
            hook_dir=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd) || exit 1
            chained="$hook_dir/\(name)\(chainedSuffix)"
            input=""
            if [ ! -t 0 ]; then
              input=$(mktemp "${TMPDIR:-/tmp}/mg-hook.XXXXXX") || exit 1
              trap 'rm -f "$input"' EXIT
              cat > "$input"
            fi
            if [ -x "$chained" ]; then
              if [ -n "$input" ]; then
                "$chained" "$@" < "$input" || exit $?
              else
                "$chained" "$@" || exit $?
              fi
            fi
            mg=\(shellQuoted(executable))
            [ -x "$mg" ] || mg=mg
            MG_HOOK=\(shellQuoted(name))
            export MG_HOOK
            if [ -n "$input" ]; then
              "$mg" \(command) < "$input"
            else
              "$mg" \(command) < /dev/null
            fi

            """
    }

    /// `'text'` with embedded quotes escaped, safe as one shell word.
    static func shellQuoted(_ text: String) -> String { ShellQuoting.quoted(text) }
}
