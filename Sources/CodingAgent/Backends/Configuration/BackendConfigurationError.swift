import Foundation

/// A backend could not be built from its configuration; each case says how to fix the config.
public enum BackendConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `type` is not a backend type mg knows.
    case unknownType(String)
    /// `type` was omitted and the model name does not imply one.
    case cannotInferType(model: String)
    /// The type is recognised but mg cannot run it.
    case unsupportedType(BackendType, reason: String)
    /// No key in the config or the environment.
    case missingAPIKey(BackendType, variables: [String])
    /// The type has no default endpoint and the config gives none.
    case missingBaseURL(BackendType)
    /// A `scripted` backend was asked for but no factory for it was installed.
    case scriptedUnavailable

    /// A sentence saying what is wrong and what to change.
    public var description: String {
        switch self {
        case .unknownType(let name):
            let known = BackendType.allCases.map(\.rawValue).joined(separator: ", ")
            return "Unknown backend type \"\(name)\". Use one of: \(known)."
        case .cannotInferType(let model):
            return
                "Cannot tell which backend serves model \"\(model)\". Set `type` in the agent's `backend:` section "
                + "(e.g. chatcompletion with a base_url, ollama, vllm)."
        case .unsupportedType(let type, let reason):
            return "Backend type \"\(type.rawValue)\" is recognised but not supported by mg: \(reason)"
        case .missingAPIKey(let type, let variables):
            let names = variables.joined(separator: " or ")
            return
                "No API key for \(type.providerName). Set \(names) in the environment, or `api_key` in the backend config."
        case .missingBaseURL(let type):
            let hint =
                type == .azureOpenAI
                ? " (your resource endpoint, e.g. https://NAME.openai.azure.com, or AZURE_OPENAI_ENDPOINT)"
                : ""
            return "Backend type \"\(type.rawValue)\" needs a `base_url`\(hint)."
        case .scriptedUnavailable:
            return
                "The scripted backend is not available in this build; pass a script file through the scripted backend's factory."
        }
    }
}
