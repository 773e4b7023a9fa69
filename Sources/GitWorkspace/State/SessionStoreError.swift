/// Why a session-store call failed, with what to do about it.
public enum SessionStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The database file could not be opened or created.
    case cannotOpen(path: String, reason: String)
    /// The store was closed before the call.
    case closed(path: String)
    /// Another process held the database lock longer than the busy timeout.
    case busy(path: String)
    /// The file is not a database or is damaged.
    case corrupt(path: String, reason: String)
    /// The disk is full, read-only, or failed.
    case io(path: String, reason: String)
    /// The database was written by a newer mg (schema version above what this build knows).
    case newerSchema(path: String, found: Int, supported: Int)
    /// A row broke a uniqueness or reference rule (e.g. a turn written before its session).
    case constraint(message: String, statement: String)
    /// Any other SQLite failure.
    case sqlite(code: Int32, message: String, statement: String)
    /// A session, turn or operation id that does not exist.
    case notFound(what: String)
    /// A value could not be encoded to or decoded from JSON.
    case encoding(what: String, reason: String)
    /// A file of the per-session folder or of a legacy layout could not be read or written.
    case file(path: String, reason: String)

    /// The message, with a `Hint:` line saying how to fix it.
    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "Could not open the session database \(path): \(reason).\n"
                + "Hint: check that .massgen/sessions is writable (run `mg init` to create it)."
        case .closed(let path):
            return "The session database \(path) was used after it was closed.\n"
                + "Hint: this is a bug in mg; please report it with the command you ran."
        case .busy(let path):
            return "The session database \(path) stayed locked by another process past the busy timeout.\n"
                + "Hint: wait for the other mg to finish, or check `mg status` for a hung session."
        case .corrupt(let path, let reason):
            return "The session database \(path) is damaged: \(reason).\n"
                + "Hint: move the file aside (your repository and branches are unaffected) and run mg again."
        case .io(let path, let reason):
            return "Could not write the session database \(path): \(reason).\n"
                + "Hint: check free disk space and the folder's permissions."
        case .newerSchema(let path, let found, let supported):
            return "The session database \(path) has schema version \(found), newer than this mg supports (\(supported)).\n"
                + "Hint: upgrade mg, or use the mg that created it."
        case .constraint(let message, let statement):
            return "The session store refused a write (\(message)) in: \(statement).\n"
                + "Hint: record the session and turn before what belongs to them."
        case .sqlite(let code, let message, let statement):
            return "SQLite failed with code \(code) (\(message)) in: \(statement).\n"
                + "Hint: this is likely a bug in mg; please report it."
        case .notFound(let what):
            return "No \(what) in the session store.\nHint: `mg sessions` lists what exists."
        case .encoding(let what, let reason):
            return "Could not encode or decode \(what): \(reason).\n"
                + "Hint: the stored value may come from a different mg version."
        case .file(let path, let reason):
            return "Could not read or write \(path): \(reason).\nHint: check the file's permissions."
        }
    }
}
