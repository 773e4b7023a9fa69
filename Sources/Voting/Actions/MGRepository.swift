import Foundation
import GitWorkspace

/// A repository mg works on, with its session store: the use cases every adapter shares. `mg`
/// commands and `mg chat`'s slash commands parse their input, call one of these, and print;
/// each mutation runs as one `RepositoryTransaction` (lock, journal, apply, commit or roll back).
public struct MGRepository: Sendable {
    /// The working tree root.
    public let root: String
    /// Its `.massgen/` layout.
    public let layout: ProjectLayout
    /// Its session store.
    public let store: SessionStore

    /// The repository at `root` with `store`.
    public init(root: String, store: SessionStore) {
        self.root = root
        self.layout = ProjectLayout(repositoryRoot: root)
        self.store = store
    }

    /// The repository containing `path` (linked worktrees and `GIT_DIR` honoured) and its store.
    public static func open(from path: String) throws -> MGRepository {
        let root = try Repository.discover(from: path).workingDirectory
        return MGRepository(root: root, store: try SessionStore.open(layout: ProjectLayout(repositoryRoot: root)))
    }

    /// The branch of `agent` (in `session`, else the only session that has it).
    public func branch(of agent: String, session: String?) throws(GitWorkspaceError) -> AgentBranch {
        try AgentBranches(repository: Repository.open(at: root)).find(agent: agent, session: session)
    }

    /// What `diff` shows.
    public struct Diff: Sendable {
        /// The branch compared.
        public var branch: AgentBranch
        /// The diff (patch and stat).
        public var changes: TreeDiff
    }

    /// `agent`'s latest answer (or answer `iteration`) against its session's base, or against
    /// `other`'s latest answer.
    public func diff(agent: String, session: String?, iteration: Int? = nil, against other: String? = nil)
        throws(GitWorkspaceError) -> Diff
    {
        let repository = try Repository.open(at: root)
        let reader = AgentBranches(repository: repository)
        let branch = try reader.find(agent: agent, session: session, preferLatest: true)
        var new = branch.tip
        if let iteration {
            let answers = try reader.iterations(of: branch)
            guard let entry = answers.first(where: { $0.iteration == iteration }) else {
                throw .invalidArgument("\(branch.shortName) has no answer \(iteration) (it has \(answers.count)).")
            }
            new = entry.commit
        }
        let old: ObjectID
        if let other {
            old = try reader.find(agent: other, session: branch.session).tip
        } else {
            old = try reader.reconstructBase(of: branch).commit
        }
        return Diff(branch: branch, changes: try repository.diff(from: old, to: new))
    }
}
