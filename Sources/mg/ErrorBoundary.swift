import ArgumentParser
import CodingAgent
import GitWorkspace
import Voting

/// The one place errors become text and exit statuses: every command's body runs inside
/// `ErrorBoundary.run`. Messages are printed as `error: …` followed by the error's own `Hint:`
/// lines, on stderr.
enum ErrorBoundary {
    /// Runs `body`; a thrown error is printed and turned into its exit status.
    static func run(_ console: Console, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let exit as ExitCode {
            throw exit
        } catch let error as CleanExit {
            throw error
        } catch {
            let (status, text) = classify(error)
            console.error(text)
            // Under --json, stdout carries the error too, as one object like every other.
            console.emit(["event": "error", "message": text, "exit_code": Int(status.rawValue)])
            throw ExitCode(status.rawValue)
        }
    }

    /// The exit status and message for `error`.
    static func classify(_ error: any Error) -> (ExitStatus, String) {
        switch error {
        case let error as CLIError:
            return (error.status, error.message)
        case let error as ConfigurationError:
            let status: ExitStatus =
                switch error.category {
                case .badInput: .badInput
                case .backendUnavailable: .backendUnavailable
                case .usage: .usage
                }
            return (status, error.description)
        case let error as BackendConfigurationError:
            if case .missingAPIKey = error { return (.backendUnavailable, error.description) }
            return (.badInput, error.description)
        case let error as BackendError:
            switch error {
            case .unauthorized, .quotaExceeded, .network, .timeout, .serverError: return (.backendUnavailable, error.description)
            case .cancelled: return (.taskFailed, error.description)
            default: return (.internalError, error.description)
            }
        case let error as GitWorkspaceError:
            return (status(of: error), error.description)
        case let error as UndoRefusal:
            if case .unknown = error { return (.usage, error.description) }
            return (.taskFailed, error.description)
        case let error as OrchestratorError:
            switch error {
            case .git(let error): return (status(of: error), error.description)
            case .invalidAgents(let message): return (.badInput, message)
            case .journalUnavailable: return (.internalError, error.description)
            }
        case let error as SessionStoreError:
            let status: ExitStatus =
                switch error {
                case .busy: .locked
                case .notFound: .usage
                case .newerSchema: .badInput
                default: .internalError
                }
            return (status, error.description)
        case let error as SessionManagerError:
            if case .stillRunning = error { return (.locked, error.description) }
            return (.usage, error.description)
        case let error as MediaError:
            // The description names the file and the limit or the fix; 65 for a bad file.
            return (ExitStatus(rawValue: error.exitStatus) ?? .badInput, error.description)
        case let error as ExternalAgentError:
            // A CLI agent's program (or an adapter's framework) is not installed.
            return (.backendUnavailable, error.description)
        case let error as ValidationError:
            return (.usage, error.message)
        default:
            return (.internalError, "\(error)\nHint: this looks like a bug in mg; please report it with the command you ran.")
        }
    }

    static func status(of error: GitWorkspaceError) -> ExitStatus {
        switch error {
        case .notARepository, .bareRepository, .notOwnedByCurrentUser, .invalidArgument, .operationInProgress: .usage
        case .mergeRefused: .mergeRefused
        case .repositoryLocked, .locked, .referenceMoved: .locked
        case .undoRefused: .taskFailed
        case .libgit2, .journalUnavailable, .rollbackFailed: .internalError
        }
    }
}
