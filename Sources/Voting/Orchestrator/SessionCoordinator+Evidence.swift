import CodingAgent
import Foundation
import GitWorkspace

extension SessionCoordinator {
    /// The tests on one answer: its own tests in its worktree and, when it added or changed test
    /// files (and the task does not allow that), the base's test files over its code in a
    /// scratch checkout — the run that judges it. Both runs go at once (each takes a core slot).
    /// `nil` without a test command.
    func collectEvidence(_ agent: Int, commit: ObjectID, iteration: Int) async -> AnswerEvidence? {
        guard evidence.command != nil else { return nil }
        let worktree = setup.worktrees[agent]
        let root = setup.repositoryRoot
        let baseTree = setup.base.tree
        let rules = setup.testRules
        let allowTestChanges = setup.allowTestChanges
        typealias Touched = (changed: [String], added: [String], overlay: ObjectID?)
        let touched: Touched
        do {
            touched = try await BlockingWork.run { () throws(GitWorkspaceError) -> Touched in
                let repository = try Repository.open(at: root)
                let tree = try repository.tree(ofCommit: commit)
                let tests = try repository.pathChanges(from: baseTree, to: tree).filter { rules.isTestFile($0.path) }
                let changed = tests.filter { $0.old != nil }.map(\.path)
                let added = tests.filter { $0.old == nil }.map(\.path)
                guard !allowTestChanges, !tests.isEmpty else { return (changed, added, nil) }
                return (changed, added, try repository.overlay(tree, paths: tests.map(\.path), from: baseTree))
            }
        } catch {
            await events.emit(.error, agent: setup.agentIDs[agent]) {
                $0.message = "Finding the test files an answer touched failed: \(error); its own tests judge it."
            }
            touched = ([], [], nil)
        }
        let runner = evidence
        async let own = runner.run(in: worktree.path)
        var baseTests: TestEvidence?
        if let overlay = touched.overlay {
            baseTests = await runner.run(
                onTree: overlay, repositoryRoot: root, session: setup.session,
                name: "\(setup.agentIDs[agent])-\(iteration)")
        }
        guard let ownResult = await own else { return nil }
        return AnswerEvidence(
            own: ownResult, baseTests: baseTests, changedTests: touched.changed, addedTests: touched.added,
            judgedByOwnTests: allowTestChanges)
    }
}
