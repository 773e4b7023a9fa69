import CodingAgent
import Foundation
import GitWorkspace

extension SessionCoordinator {
    /// Why `commit` is not novel enough under `answer_novelty_requirement`, or `nil`: its change
    /// from the base scores above the threshold against another agent's current answer
    /// (`ChangeSimilarity`, as in the similarity matrix). The agent's own previous answer is not
    /// compared: refining one's own answer is allowed.
    func noveltyRefusal(_ agent: Int, commit: ObjectID) async -> String? {
        guard let threshold = setup.answerNovelty.threshold else { return nil }
        let rivals = currentAnswers.filter { $0.configIndex != agent && !$0.noChange }
        guard !rivals.isEmpty else { return nil }
        let root = setup.repositoryRoot
        let base = setup.base.commit
        let scores: [(String, Double)]
        do {
            scores = try await BlockingWork.run { () throws(GitWorkspaceError) -> [(String, Double)] in
                let repository = try Repository.open(at: root)
                // An answer that changes only context paths outside the repository has no code to compare.
                if try repository.tree(ofCommit: commit) == repository.tree(ofCommit: base) { return [] }
                let mine = ChangeFingerprint(try repository.diff(from: base, to: commit))
                var result: [(String, Double)] = []
                for rival in rivals {
                    let theirs = ChangeFingerprint(try repository.diff(from: base, to: rival.commit))
                    result.append((rival.anonymousID, ChangeSimilarity.score(mine, theirs)))
                }
                return result
            }
        } catch {
            // The check is advisory: a diff that cannot be read does not block the answer.
            await events.emit(.error, agent: setup.agentIDs[agent]) {
                $0.message = "The novelty check could not compare the answer: \(error)"
            }
            return nil
        }
        guard let (closest, score) = scores.max(by: { $0.1 < $1.1 }), score > threshold else { return nil }
        return
            "Your change is \(Int((score * 100).rounded()))% similar to \(closest)'s answer, and this session refuses "
            + "answers more than \(Int((threshold * 100).rounded()))% similar to another agent's (answer_novelty_requirement: "
            + "\(setup.answerNovelty.rawValue)). Take a meaningfully different approach, or vote for \(closest)."
    }
}

/// An agent's copies of the write context paths at its `new_answer`.
struct ContextState: Sendable {
    /// One tree per write context path outside the repository (empty: none configured).
    var trees: [ObjectID] = []
    /// They differ from the session's start.
    var changed = false
    /// They differ from the agent's previous answer (or the start, before its first).
    var movedSinceLastAnswer = false
    /// The change as a patch for the other agents (empty: none).
    var patch = ""
    /// Protected paths of the context paths the copies change (absolute).
    var protectedChanges: [String] = []
}

extension SessionCoordinator {
    /// Stores `agent`'s copies of the write context paths and compares them with the start and
    /// with its previous answer.
    func contextState(_ agent: Int) async throws(GitWorkspaceError) -> ContextState {
        guard let copies = setup.contextCopies, !copies.roots.isEmpty else { return ContextState() }
        let id = setup.agentIDs[agent]
        let budget = setup.patchBudget
        let (trees, patch, protected) = try await BlockingWork.run { () throws(GitWorkspaceError) in
            let trees = try copies.snapshot(agent: id)
            return (
                trees, try copies.patch(for: trees, budget: budget), try copies.protectedChanges(in: trees)
            )
        }
        let start = copies.roots.map(\.start)
        return ContextState(
            trees: trees, changed: trees != start,
            movedSinceLastAnswer: trees != (answers[agent]?.contextTrees ?? start),
            patch: patch, protectedChanges: protected)
    }
}
