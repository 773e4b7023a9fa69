import Foundation

/// Runs the real `git` CLI — the reference every test compares mg's libgit2 work against —
/// in a hermetic environment: private HOME, no system config, fixed identity and dates, no gpg.
public enum GitCLI {
    /// The private HOME shared by all tests of this process (created once).
    public static let hermeticHome: String = {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("mg-test-home-\(getpid())").path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let config = """
            [user]
            \tname = MG Test
            \temail = test@mg.invalid
            [commit]
            \tgpgsign = false
            [init]
            \tdefaultBranch = main
            [core]
            \tautocrlf = false
            \tquotepath = false
            """
        try? config.write(toFile: path + "/.gitconfig", atomically: true, encoding: .utf8)
        return path
    }()

    /// The environment for git subprocesses (and for `mg` runs in end-to-end tests).
    public static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        for key in env.keys where key.hasPrefix("GIT_") { env[key] = nil }
        env["HOME"] = hermeticHome
        env["XDG_CONFIG_HOME"] = hermeticHome + "/.config"
        env["GIT_CONFIG_NOSYSTEM"] = "1"
        env["GIT_AUTHOR_NAME"] = "MG Test"
        env["GIT_AUTHOR_EMAIL"] = "test@mg.invalid"
        env["GIT_COMMITTER_NAME"] = "MG Test"
        env["GIT_COMMITTER_EMAIL"] = "test@mg.invalid"
        env["GIT_AUTHOR_DATE"] = "2026-01-01T00:00:00Z"
        env["GIT_COMMITTER_DATE"] = "2026-01-01T00:00:00Z"
        env["LC_ALL"] = "C"
        env["NO_COLOR"] = "1"
        for (key, value) in extra { env[key] = value }
        return env
    }

    /// Result of one process run.
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs `git args` in `directory`; throws unless it exits 0.
    @discardableResult
    public static func run(_ args: [String], in directory: String, env: [String: String] = [:]) throws -> String {
        let output = try runAllowingFailure(args, in: directory, env: env)
        guard output.status == 0 else {
            throw TestSupportError.commandFailed(
                "git \(args.joined(separator: " "))", status: output.status, stderr: output.stderr)
        }
        return output.stdout
    }

    /// Runs `git args` in `directory` and returns whatever happened.
    public static func runAllowingFailure(_ args: [String], in directory: String, env: [String: String] = [:]) throws -> Output {
        try ProcessRunner.run("/usr/bin/git", args, in: directory, environment: environment(env))
    }
}

/// Failures of test helpers.
public enum TestSupportError: Error, CustomStringConvertible {
    case commandFailed(String, status: Int32, stderr: String)

    public var description: String {
        switch self {
        case .commandFailed(let command, let status, let stderr):
            return "`\(command)` exited \(status): \(stderr)"
        }
    }
}
