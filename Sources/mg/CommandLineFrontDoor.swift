import ArgumentParser
import Foundation

/// What mg does with the raw command line before swift-argument-parser sees it, and with the
/// parser's errors after: the few places where its defaults surprise users.
///
/// - Global flags (`--json`, `--quiet`/`-q`, `--no-color`) work before the subcommand too:
///   `mg --json sessions` is `mg sessions --json`.
/// - A negative number after a numeric option (`--timeout -1`) is that option's value (then
///   refused by its own check), not an unknown option.
/// - `mg help NAME` for a command that does not exist is an error (64), with a suggestion.
/// - An unknown command, or a task that starts with `-`, gets a hint (`did you mean`, `--`).
enum CommandLineFrontDoor {
    static let globalFlags: Set<String> = ["--json", "--quiet", "-q", "--no-color"]
    static let numericOptions: Set<String> = [
        "--timeout", "--agent-timeout", "--max-cost", "--agents", "--limit", "--iteration", "--port",
    ]

    /// The arguments as the parser should see them.
    static func rewrite(_ arguments: [String], commands: [String]) -> [String] {
        // Leading global flags move after the command path (`mg --json config check`).
        let leading = arguments.prefix { globalFlags.contains($0) }
        var rest = Array(arguments.dropFirst(leading.count))
        if !leading.isEmpty {
            var path = 0
            if let first = rest.first, commands.contains(first) {
                path = 1
                if first == "config" || first == "hook", rest.count > 1, !rest[1].hasPrefix("-") { path = 2 }
            }
            rest.insert(contentsOf: leading, at: path)
        }
        // `--timeout -1` → `--timeout=-1`.
        var joined: [String] = []
        var index = 0
        while index < rest.count {
            let word = rest[index]
            if word == "--" {
                joined += rest[index...]
                break
            }
            if numericOptions.contains(word), index + 1 < rest.count, Double(rest[index + 1]) != nil {
                joined.append(word + "=" + rest[index + 1])
                index += 2
                continue
            }
            joined.append(word)
            index += 1
        }
        return joined
    }

    /// An error for `mg help NAME` when NAME is no command; `nil` otherwise.
    static func unknownHelpTopic(_ arguments: [String], commands: [String]) -> String? {
        guard arguments.first == "help", arguments.count > 1, !arguments[1].hasPrefix("-"),
            !commands.contains(arguments[1])
        else { return nil }
        return "There is no command '\(arguments[1])'." + suggestion(arguments[1], among: commands)
    }

    /// A hint to add to the parser's `message` for `arguments`, or `nil`.
    static func hint(for message: String, arguments: [String], commands: [String]) -> String? {
        if let first = arguments.first, !first.hasPrefix("-"), !commands.contains(first), first != "help" {
            let near = suggestion(first, among: commands)
            if !near.isEmpty { return "'\(first)' is not an mg command." + near }
        }
        if let task = arguments.dropFirst().first(where: { $0.hasPrefix("-") && $0.contains(" ") }),
            ["fix", "continue"].contains(arguments.first ?? "")
        {
            return "A task that starts with '-' looks like an option; put `--` before it: "
                + "mg \(arguments[0]) -- \"\(task)\""
        }
        if message.contains("Missing expected argument"), ["fix", "continue"].contains(arguments.first ?? "") {
            return "Give the task in quotes (mg \(arguments[0]) \"what to do\"), or --task-file FILE, or - to read it from stdin."
        }
        return nil
    }

    /// " Did you mean 'fix'?" for the command closest to `word`, when one is close.
    static func suggestion(_ word: String, among commands: [String]) -> String {
        let scored = commands.map { ($0, distance(word, $0)) }.sorted { $0.1 < $1.1 }
        guard let best = scored.first, best.1 <= max(1, word.count / 3) + 1 else { return "" }
        return " Did you mean '\(best.0)'?"
    }

    /// Levenshtein distance (commands are short words).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}

extension MG {
    /// Parses and runs the command line through `CommandLineFrontDoor`.
    static func runCommandLine() async {
        let commands = configuration.subcommands.compactMap { $0.configuration.commandName }
        let original = Array(CommandLine.arguments.dropFirst())
        if let problem = CommandLineFrontDoor.unknownHelpTopic(original, commands: commands) {
            LiveViewSink.write("Error: \(problem)\nHint: `mg --help` lists the commands.\n", to: STDERR_FILENO)
            Foundation.exit(ExitStatus.usage.rawValue)
        }
        let arguments = CommandLineFrontDoor.rewrite(original, commands: commands)
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code != .success, !(error is ExitCode), original.contains("--json") {
                Console(json: true).emit([
                    "event": "error", "message": message, "exit_code": Int(code.rawValue),
                ])
            }
            guard code != .success, !(error is ExitCode),
                let hint = CommandLineFrontDoor.hint(for: message, arguments: original, commands: commands)
            else { exit(withError: error) }
            // The parser's own message, then what to do about it.
            LiveViewSink.write(message + "\nHint: \(hint)\n", to: STDERR_FILENO)
            Foundation.exit(code.rawValue)
        }
    }
}
