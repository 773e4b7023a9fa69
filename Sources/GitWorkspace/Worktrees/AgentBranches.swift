import Foundation

/// One of mg's per-agent branches, `refs/heads/massgen/<session>/<agent>`.
public struct AgentBranch: Sendable, Hashable {
    public var session: String
    public var agent: String
    /// Full ref name.
    public var ref: String
    public var tip: ObjectID

    /// `massgen/<session>/<agent>`, as users type it.
    public var shortName: String { AgentWorktree.branchName(session: session, agent: agent) }
}

/// One answer commit on an agent branch.
public struct IterationEntry: Sendable, Hashable {
    public var iteration: Int
    public var commit: ObjectID
    /// The first line of the commit message.
    public var subject: String
}

/// Reads mg's agent branches straight from git, using the trailers mg writes
/// (`Mg-Session`, `Mg-Agent`, `Mg-Iteration`) — the fallback when no session record exists.
public struct AgentBranches {
    let repository: Repository

    public init(repository: Repository) {
        self.repository = repository
    }

    /// Every mg agent branch (optionally of one session), sorted by session then agent.
    public func list(session: String? = nil) throws(GitWorkspaceError) -> [AgentBranch] {
        let prefix = "refs/heads/massgen/" + (session.map { $0 + "/" } ?? "")
        return try repository.references(withPrefix: prefix).compactMap { reference -> AgentBranch? in
            let parts = reference.name.dropFirst("refs/heads/massgen/".count).split(separator: "/")
            guard parts.count == 2 else { return nil }
            return AgentBranch(session: String(parts[0]), agent: String(parts[1]), ref: reference.name, tip: reference.target)
        }.sorted { ($0.session, $0.agent) < ($1.session, $1.agent) }
    }

    /// The answer commits of `branch`, oldest first: first parents from the tip while the
    /// commits carry this session's `Mg-Agent` trailer.
    public func iterations(of branch: AgentBranch) throws(GitWorkspaceError) -> [IterationEntry] {
        var entries: [IterationEntry] = []
        var current: ObjectID? = branch.tip
        while let id = current {
            let info = try repository.commit(id)
            let trailers = Self.trailers(info.message)
            guard trailers["Mg-Session"] == branch.session, trailers["Mg-Agent"] != nil else { break }
            let subject = info.message.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
            entries.append(IterationEntry(iteration: Int(trailers["Mg-Iteration"] ?? "") ?? 0, commit: id, subject: subject))
            current = info.parents.first
        }
        return entries.reversed()
    }

    /// The base the session started from: the first commit below the answers. A base snapshot
    /// commit (mg's, carrying only `Mg-Session`) means the user had uncommitted work, whose
    /// parent was HEAD; otherwise the base is HEAD itself. The target is the user's current branch.
    public func reconstructBase(of branch: AgentBranch) throws(GitWorkspaceError) -> BaseSnapshot {
        let answers = try iterations(of: branch)
        var baseID = branch.tip
        if let first = answers.first {
            guard let parent = try repository.commit(first.commit).parents.first else {
                throw .invalidArgument("The first answer on \(branch.shortName) has no parent commit.")
            }
            baseID = parent
        }
        let base = try repository.commit(baseID)
        let trailers = Self.trailers(base.message)
        let isSnapshot = trailers["Mg-Session"] == branch.session && trailers["Mg-Agent"] == nil
        let head = try repository.head()
        var isDetached = false
        if case .detached = head { isDetached = true }
        return BaseSnapshot(
            commit: baseID, tree: base.tree, targetRef: head.targetRef,
            headCommit: isSnapshot ? base.parents.first : baseID, isDetached: isDetached, skippedSecrets: [])
    }

    /// `Key: value` trailer lines of a commit message (mg's `Mg-*` trailers only).
    /// The branch of `agent`: in `session` when given, else the only session that has it — or,
    /// with `preferLatest` (for commands that only read), the latest session's. Session ids
    /// start with their date and later turns add `-t<N>`, so the latest sorts last.
    public func find(agent: String, session: String?, preferLatest: Bool = false) throws(GitWorkspaceError)
        -> AgentBranch
    {
        let candidates = try list(session: session)
        let matches = candidates.filter { $0.agent == agent }
        if matches.count == 1, let match = matches.first { return match }
        if preferLatest, let latest = matches.max(by: { Self.runOrder($0.session, $1.session) }) { return latest }
        if matches.isEmpty {
            let listing =
                candidates.isEmpty
                ? "there are no mg branches yet" : "known: " + candidates.map(\.shortName).joined(separator: ", ")
            throw .invalidArgument(
                "No branch for agent \"\(agent)\"\(session.map { " in session \($0)" } ?? "") (\(listing)).\n"
                    + "Hint: run `mg branches` to see them.")
        }
        let sessions = matches.map(\.session).joined(separator: ", ")
        throw .invalidArgument(
            "Agent \"\(agent)\" has branches in several sessions (\(sessions)).\nHint: pass --session SESSION.")
    }

    /// True when run `a` started before run `b` (`<session>` before `<session>-t2` before `-t10`).
    static func runOrder(_ a: String, _ b: String) -> Bool {
        func key(_ run: String) -> (String, Int) {
            if let range = run.range(of: "-t", options: .backwards), let turn = Int(run[range.upperBound...]) {
                return (String(run[..<range.lowerBound]), turn)
            }
            return (run, 1)
        }
        return key(a) < key(b)
    }

    public static func trailers(_ message: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in message.split(separator: "\n") where line.hasPrefix("Mg-") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            result[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return result
    }
}
