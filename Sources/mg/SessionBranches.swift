import Foundation
import GitWorkspace

/// mg's per-agent branches (`refs/heads/massgen/<session>/<agent>`) read straight from git.
///
/// Until the session store is wired in, the CLI reconstructs what it needs from the branches and
/// the trailers mg writes (`Mg-Session`, `Mg-Agent`, `Mg-Iteration`); see docs/cli.md.
struct AgentBranch: Hashable {
    var session: String
    var agent: String
    var ref: String
    var tip: ObjectID

    var shortName: String { AgentWorktree.branchName(session: session, agent: agent) }
}

/// One answer commit on an agent branch.
struct IterationEntry: Hashable {
    var iteration: Int
    var commit: ObjectID
    var subject: String
}

struct SessionBranches {
    let repository: Repository

    /// Every mg agent branch (optionally of one session), sorted by session then agent.
    func list(session: String? = nil) throws(GitWorkspaceError) -> [AgentBranch] {
        let prefix = "refs/heads/massgen/" + (session.map { $0 + "/" } ?? "")
        return try repository.references(withPrefix: prefix).compactMap { reference -> AgentBranch? in
            let parts = reference.name.dropFirst("refs/heads/massgen/".count).split(separator: "/")
            guard parts.count == 2 else { return nil }
            return AgentBranch(session: String(parts[0]), agent: String(parts[1]), ref: reference.name, tip: reference.target)
        }.sorted { ($0.session, $0.agent) < ($1.session, $1.agent) }
    }

    /// The branch of `agent`: in `session` when given, else the only session that has it.
    func find(agent: String, session: String?) throws -> AgentBranch {
        let matches = try list(session: session).filter { $0.agent == agent }
        if matches.count == 1, let match = matches.first { return match }
        if matches.isEmpty {
            let known = try list(session: session).map(\.shortName)
            let listing = known.isEmpty ? "there are no mg branches yet" : "known: " + known.joined(separator: ", ")
            throw CLIError(.usage, "No branch for agent \"\(agent)\"\(session.map { " in session \($0)" } ?? "") (\(listing)).\nHint: run `mg branches` to see them.")
        }
        let sessions = matches.map(\.session).joined(separator: ", ")
        throw CLIError(.usage, "Agent \"\(agent)\" has branches in several sessions (\(sessions)).\nHint: pass --session SESSION.")
    }

    /// The answer commits of `branch`, oldest first: first parents from the tip while the
    /// commits carry this session's `Mg-Agent` trailer.
    func iterations(of branch: AgentBranch) throws(GitWorkspaceError) -> [IterationEntry] {
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
    func reconstructBase(of branch: AgentBranch) throws -> BaseSnapshot {
        let answers = try iterations(of: branch)
        let baseID = try answers.first.map { entry throws -> ObjectID in
            guard let parent = try repository.commit(entry.commit).parents.first else {
                throw CLIError(.internalError, "The first answer on \(branch.shortName) has no parent commit.")
            }
            return parent
        } ?? branch.tip
        let base = try repository.commit(baseID)
        let trailers = Self.trailers(base.message)
        let isSnapshot = trailers["Mg-Session"] == branch.session && trailers["Mg-Agent"] == nil
        let head = try repository.head()
        var isDetached = false
        if case .detached = head { isDetached = true }
        let headCommit = isSnapshot ? base.parents.first : baseID
        let snapshot: [String: Any?] = [
            "commit": ["hex": baseID.hex], "tree": ["hex": base.tree.hex], "targetRef": head.targetRef,
            "headCommit": headCommit.map { ["hex": $0.hex] }, "isDetached": isDetached,
            "skippedSecrets": [String](),
        ]
        // BaseSnapshot has no public memberwise initialiser; its Codable form is its public shape.
        let data = try JSONSerialization.data(withJSONObject: snapshot.compactMapValues { $0 })
        return try JSONDecoder().decode(BaseSnapshot.self, from: data)
    }

    /// `Key: value` trailer lines of a commit message.
    static func trailers(_ message: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in message.split(separator: "\n") where line.hasPrefix("Mg-") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            result[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return result
    }
}
