import CodingAgent
import Foundation
import GitWorkspace

extension SessionCoordinator {
    /// What `commit` did to the test files, and the tree to judge it on: the base's test files
    /// restored over it (tests it added left out), or `nil` when it touched none or the task
    /// allows test changes (then its own tests judge it).
    func testChanges(of commit: ObjectID) async -> (changes: TestChanges, judgedTree: ObjectID?) {
        let root = setup.repositoryRoot
        let baseTree = setup.base.tree
        let rules = setup.testRules
        let allowTestChanges = setup.allowTestChanges
        do {
            return try await BlockingWork.run { () throws(GitWorkspaceError) -> (TestChanges, ObjectID?) in
                let repository = try Repository.open(at: root)
                let tree = try repository.tree(ofCommit: commit)
                let tests = try repository.pathChanges(from: baseTree, to: tree).filter { rules.isTestFile($0.path) }
                let changes = TestChanges(
                    changed: tests.filter { $0.old != nil }.map(\.path), added: tests.filter { $0.old == nil }.map(\.path))
                guard !allowTestChanges, !tests.isEmpty else { return (changes, nil) }
                return (changes, try repository.overlay(tree, paths: changes.all, from: baseTree))
            }
        } catch {
            await events.emit(.error) {
                $0.message = "Finding the test files an answer touched failed: \(error); its own tests judge it."
            }
            return (TestChanges(), nil)
        }
    }

    /// The tests on one answer: its own tests in its worktree and, when `judgedTree` is given,
    /// the base's tests on its code in a scratch checkout — the run that judges it. Both go at
    /// once (each takes a core slot). `nil` without a test command.
    func collectEvidence(_ agent: Int, judgedTree: ObjectID?, iteration: Int) async -> AnswerEvidence? {
        guard evidence.command != nil else { return nil }
        let runner = evidence
        let worktree = setup.worktrees[agent].path
        async let own = runner.run(in: worktree)
        var baseTests: TestEvidence?
        if let judgedTree {
            baseTests = await runner.run(
                onTree: judgedTree, repositoryRoot: setup.repositoryRoot, session: setup.session,
                name: "\(setup.agentIDs[agent])-\(iteration)")
        }
        guard let ownResult = await own else { return nil }
        return AnswerEvidence(own: ownResult, baseTests: baseTests, judgedByOwnTests: setup.allowTestChanges)
    }
}
