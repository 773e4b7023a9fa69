import CodingAgent

/// Where in a config file something is: the file and a 1-based line and column.
public struct ConfigurationLocation: Sendable, Hashable, CustomStringConvertible {
    /// The config file's path, or a label such as `<environment>`.
    public var file: String
    /// 1-based line; 0 when unknown.
    public var line: Int
    /// 1-based column; 0 when unknown.
    public var column: Int

    /// Creates a location.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, the form editors and terminals make clickable.
    public var description: String { line > 0 ? "\(file):\(line):\(column)" : file }
}

/// A configuration could not be used. Each case says where and how to fix it.
public enum ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The YAML itself is malformed.
    case syntax(ConfigurationLocation, problem: String)
    /// A key holds a value of the wrong shape (`agents` is not a list, `temperature` is text, …).
    case invalidValue(ConfigurationLocation, path: String, expected: String, found: String)
    /// A key mg needs is absent (`backend.model`, `agents`).
    case missingKey(ConfigurationLocation, path: String, hint: String)
    /// An agent's backend cannot be built (unknown type, no API key, no base URL).
    case backend(ConfigurationLocation, path: String, BackendConfigurationError)
    /// Two agents share an id.
    case duplicateAgentID(ConfigurationLocation, id: String)
    /// No config file and no provider key in the environment.
    case noBackendAvailable
    /// The named config file cannot be read.
    case unreadableFile(path: String, reason: String)
    /// `--agents` asked for an impossible number.
    case invalidAgentCount(Int)
    /// A file the configuration names (a custom tool's `path`) is not where it says.
    case fileNotFound(ConfigurationLocation, path: String, looked: [String], hint: String)
    /// The file has no `agents`/`agent` and nothing else mg reads: not an agent configuration.
    case notAnAgentConfiguration(ConfigurationLocation, keys: [String])
    /// An OpenAI-compatible host's key is missing: `provider` names the host's service.
    case missingHostKey(
        ConfigurationLocation, path: String, provider: String?, host: String, variables: [String])
    /// A context path cannot be used as configured (not writable by the user, contains the
    /// repository, inside repository metadata).
    case contextPathRefused(ConfigurationLocation, path: String, reason: String, hint: String)

    /// What kind of failure this is, which decides the exit status.
    public enum Category: Sendable, Hashable {
        /// The config's content is wrong (exit 65).
        case badInput
        /// No backend can be reached or authorised (exit 69).
        case backendUnavailable
        /// The command line asked for something impossible (exit 64).
        case usage
    }

    /// The category of this error.
    public var category: Category {
        switch self {
        case .syntax, .invalidValue, .missingKey, .duplicateAgentID, .fileNotFound, .notAnAgentConfiguration,
            .contextPathRefused:
            .badInput
        case .missingHostKey: .backendUnavailable
        case .backend(_, _, let error):
            switch error {
            case .missingAPIKey, .scriptedUnavailable: .backendUnavailable
            case .unknownType, .cannotInferType, .unsupportedType, .missingBaseURL: .badInput
            }
        case .noBackendAvailable: .backendUnavailable
        case .unreadableFile, .invalidAgentCount: .usage
        }
    }

    /// The message, then `Hint:` lines.
    public var description: String {
        switch self {
        case .syntax(let location, let problem):
            return "\(location): invalid YAML: \(problem)\nHint: check the indentation and quoting around line \(location.line)."
        case .invalidValue(let location, let path, let expected, let found):
            return "\(location): `\(path)` must be \(expected), found \(found)."
        case .missingKey(let location, let path, let hint):
            return "\(location): `\(path)` is required.\nHint: \(hint)"
        case .backend(let location, let path, let error):
            return "\(location): \(path): \(error)"
        case .duplicateAgentID(let location, let id):
            return "\(location): two agents have the id \"\(id)\".\nHint: give every agent a distinct `id`."
        case .noBackendAvailable:
            return """
                No model is configured and no provider key is set.
                Hint: configure one of three ways:
                Hint:   1. export OPENAI_API_KEY, ANTHROPIC_API_KEY or GEMINI_API_KEY (or GOOGLE_API_KEY);
                Hint:   2. write .massgen/config.yaml (run `mg init` for a commented template);
                Hint:   3. point an agent at a local OpenAI-compatible server, e.g. `backend: {type: chatcompletion, model: qwen2.5-coder, base_url: "http://localhost:11434/v1"}`.
                """
        case .unreadableFile(let path, let reason):
            return "Cannot read the config file \(path): \(reason)\nHint: check the path given to --config."
        case .invalidAgentCount(let count):
            return "--agents must be between 1 and 16, not \(count)."
        case .fileNotFound(let location, let path, let looked, let hint):
            return
                "\(location): `\(path)` names a file that does not exist (looked for \(looked.joined(separator: " and "))).\nHint: \(hint)"
        case .notAnAgentConfiguration(let location, let keys):
            let shown = keys.prefix(6).joined(separator: ", ") + (keys.count > 6 ? ", …" : "")
            return
                "\(location): this file has no `agents:` (or `agent:`) and no setting mg reads (its top-level keys: \(shown)), "
                + "so it is not an agent configuration.\n"
                + "Hint: pass a MassGen or mg agent configuration (one with `agents:`); MassGen's rate_limits.yaml and similar "
                + "files are not. Without any file, mg picks agents from the provider keys in the environment."
        case .missingHostKey(let location, let path, let provider, let host, let variables):
            let service =
                provider.map { "\($0) (\(host), OpenAI-compatible)" }
                ?? "the OpenAI-compatible server at \(host)"
            return "\(location): \(path): No API key for \(service). Set "
                + "\(variables.joined(separator: " or ")) in the environment, or `api_key` in the backend config."
        case .contextPathRefused(let location, let path, let reason, let hint):
            return "\(location): the context path \(path) cannot be used: \(reason).\nHint: \(hint)"
        }
    }
}

/// A key mg read but does not use: reported once, never fatal.
public struct ConfigurationWarning: Sendable, Hashable, CustomStringConvertible {
    /// Whether ignoring the key loses something the configuration asked for.
    public enum Kind: String, Sendable, Hashable {
        /// A feature mg does not provide: the session runs without it.
        case unsupported
        /// mg does this its own way (display, worktrees, session storage), or the key has no
        /// effect in MassGen either: nothing the configuration asked for is lost.
        case notNeeded = "not_needed"
        /// An entry skipped because of what it names (a context path that does not exist), as
        /// MassGen skips it.
        case skipped
    }

    /// The key's path, e.g. `agents[1].backend.enable_web_search`.
    public var path: String
    /// Where the key is.
    public var location: ConfigurationLocation
    /// Why mg ignores it (empty for the generic reason).
    public var reason: String
    /// Whether a feature is dropped.
    public var kind: Kind

    /// Creates a warning.
    public init(path: String, location: ConfigurationLocation, reason: String = "", kind: Kind = .unsupported)
    {
        self.path = path
        self.location = location
        self.reason = reason
        self.kind = kind
    }

    /// `agents[1].backend.enable_web_search is not supported by mg and is ignored (file:3:7)`, or
    /// `ui.display_type is not needed by mg: … (file:30:3)`.
    public var description: String {
        let why = reason.isEmpty ? "" : ": \(reason)"
        switch kind {
        case .unsupported: return "\(path) is not supported by mg and is ignored\(why) (\(location))"
        case .notNeeded: return "\(path) is not needed by mg\(why) (\(location))"
        case .skipped: return "\(path) is skipped\(why) (\(location))"
        }
    }
}
