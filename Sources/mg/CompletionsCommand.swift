import ArgumentParser

/// `mg completions SHELL`: print a shell completion script.
struct CompletionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "completions",
        abstract: "Print the completion script for bash, zsh or fish.",
        discussion: """
            Examples:
              mg completions bash > /etc/bash_completion.d/mg
              mg completions zsh > "${fpath[1]}/_mg"
              mg completions fish > ~/.config/fish/completions/mg.fish
            """)

    @Argument(help: "bash, zsh or fish.")
    var shell: String

    func run() throws {
        guard let kind = CompletionShell(rawValue: shell) else {
            throw ValidationError("Unknown shell \"\(shell)\"; use bash, zsh or fish.")
        }
        print(MG.completionScript(for: kind))
    }
}
