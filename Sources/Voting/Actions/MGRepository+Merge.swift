import Foundation
import GitWorkspace

/// What a hand merge did.
public struct HandMergeResult: Sendable {
    /// The branch whose latest answer was merged.
    public var branch: AgentBranch
    /// The mode used.
    public var mode: MergeMode
    /// The operation (`nil`: mode `none`, or the answer changes nothing against its base).
    public var operation: OperationRecord?
    /// The gate's verdict when it excluded this answer in its session (it lands anyway).
    public var failedGate: GateVerdict?
}

extension MGRepository {
    /// Lands `agent`'s latest answer by hand (`mg merge`, chat's `/merge`), as safely as the
    /// automatic merge-back: checked and planned under the repository lock, logged before it is
    /// carried out, rolled back if it fails. An answer the gate excluded lands too (the caller
    /// asked for it); `failedGate` says why it was excluded.
    public func merge(agent: String, session: String?, mode: MergeMode?, via command: String) throws -> HandMergeResult {
        let lock = try RepositoryLock(layout: layout, purpose: "\(command) \(agent)")
        return try withExtendedLifetime(lock) { () throws -> HandMergeResult in
            let repository = try Repository.open(at: root)
            let reader = AgentBranches(repository: repository)
            let branch = try reader.find(agent: agent, session: session)
            let verdict = try store.gateVerdict(forRun: branch.session, agent: branch.agent)
            let base = try reader.reconstructBase(of: branch)
            let chosen = mode ?? MergeMode.defaultMode(for: base)
            let subject = try reader.iterations(of: branch).last?.subject ?? "The answer of \(branch.agent)"
            let message = MergeBack.commitMessage(
                summary: subject, session: branch.session, agent: branch.agent, via: command)
            let merge = MergeBack(repositoryRoot: root)
            var result = HandMergeResult(branch: branch, mode: chosen, operation: nil, failedGate: nil)
            if let verdict, !verdict.eligible { result.failedGate = verdict }
            guard
                let record = try merge.plan(
                    winner: branch.tip, winnerBranch: branch.ref, base: base, mode: chosen, message: message)
            else { return result }
            let run = try store.locate(run: branch.session)
            let journal = store.journal(for: record, session: run?.session, turn: run?.turn)
            result.operation = try RepositoryTransaction.run(.held(lock), journal: journal) {
                () throws(GitWorkspaceError) -> OperationRecord in
                try merge.apply(record, winnerBranch: branch.ref, base: base)
                return record
            }
            return result
        }
    }
}
