import ArgumentParser
import GitWorkspace

/// `mg hook …`: run mg from git hooks.
struct HookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hook",
        abstract: "Install mg into a git hook, or take it out again.",
        discussion: """
            The hook runs in the folder git uses (core.hooksPath, relative to the working tree, \
            or the common .git/hooks shared by linked worktrees). An existing hook is kept as \
            NAME.pre-mg and still runs first with the same arguments and input.
            """,
        subcommands: [HookInstallCommand.self, HookUninstallCommand.self, HookListCommand.self])
}

/// `mg hook install NAME [-- ARGS]`.
struct HookInstallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Make git hook NAME run `mg ARGS`; a failing mg fails the hook.",
        discussion: """
            Examples:
              mg hook install pre-push -- config check
              mg hook install pre-commit -- config check --quiet
            """)

    @Argument(help: "The hook name (pre-commit, pre-push, commit-msg, …).")
    var name: String

    @Argument(parsing: .postTerminator, help: "The mg command the hook runs, after `--`.")
    var arguments: [String] = []

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let console = global.console
        try await ErrorBoundary.run(console) {
            guard !arguments.isEmpty else {
                throw CLIError(.usage, "Say which mg command the hook runs, after `--`.\nHint: mg hook install \(name) -- config check")
            }
            try Self.validate(arguments, hook: name)
            let location = try Startup.repository()
            let repository = try Repository.open(at: location.workingDirectory)
            let installer = HookInstaller(repository: repository, environment: Startup.environment)
            let installation = try installer.install(name: name, arguments: arguments, executable: Startup.executablePath)
            console.result("Installed \(installation.hookPath): runs `mg \(arguments.joined(separator: " "))`.")
            if let chained = installation.chainedHook {
                console.info("Your previous hook is kept as \(chained) and still runs first.")
            }
            console.emit(["event": "hook_installed", "hook": installation.hookPath, "chained": installation.chainedHook ?? ""])
        }
    }
}

extension HookInstallCommand {
    /// Refuses (64) a hook command mg could not run: it would break every commit or push.
    /// The arguments are parsed exactly as the hook will pass them to `mg`.
    static func validate(_ arguments: [String], hook: String) throws(CLIError) {
        let commands = MG.configuration.subcommands.compactMap { $0.configuration.commandName }
        let line = "mg " + arguments.joined(separator: " ")
        do {
            let command = try MG.parseAsRoot(CommandLineFrontDoor.rewrite(arguments, commands: commands))
            if command is HookCommand || command is HookInstallCommand || command is HookUninstallCommand {
                throw CLIError(.usage, "A hook cannot run `\(line)`.\nHint: mg hook install \(hook) -- config check")
            }
        } catch let error as CLIError {
            throw error
        } catch {
            let reason = MG.message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
            let near =
                arguments.first.flatMap { commands.contains($0) ? nil : CommandLineFrontDoor.suggestion($0, among: commands) } ?? ""
            throw CLIError(
                .usage,
                "The hook would run `\(line)`, which mg cannot run: \(reason)\(near)\n"
                    + "Hint: try `\(line)` by hand until it works, then install it; e.g. mg hook install \(hook) -- config check")
        }
    }
}

/// `mg hook uninstall NAME`.
struct HookUninstallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "uninstall",
        abstract: "Remove mg from git hook NAME and restore the hook that was there before.",
        discussion: """
            Example:
              mg hook uninstall pre-push
            """)

    @Argument(help: "The hook name.")
    var name: String

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let console = global.console
        try await ErrorBoundary.run(console) {
            let location = try Startup.repository()
            let repository = try Repository.open(at: location.workingDirectory)
            let removal = try HookInstaller(repository: repository, environment: Startup.environment).uninstall(name: name)
            console.result(
                removal.restoredOriginal
                    ? "Removed mg from \(removal.hookPath); your previous hook is back."
                    : "Removed \(removal.hookPath).")
            console.emit(["event": "hook_uninstalled", "hook": removal.hookPath, "restored": removal.restoredOriginal])
        }
    }
}

/// `mg hook list`.
struct HookListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the hooks that run mg.")

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let console = global.console
        try await ErrorBoundary.run(console) {
            let location = try Startup.repository()
            let installer = HookInstaller(repository: try Repository.open(at: location.workingDirectory), environment: Startup.environment)
            let hooks = installer.installedHooks()
            if hooks.isEmpty { console.result("No hook runs mg (hooks folder: \(installer.hooksDirectory)).") }
            for hook in hooks { console.result("\(hook.name): mg \(hook.command)") }
            console.emit(["hooks": hooks.map { ["name": $0.name, "command": $0.command] }])
        }
    }
}
