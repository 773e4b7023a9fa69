/// Pairs deleted (and, for copies, modified) paths with added paths the way `git diff -M`
/// (`diffcore-rename.c`, git 2.33+) does, so statuses and percentages match git exactly:
///
/// 1. exact renames (same blob; symlinks/submodules need the same mode), preferring an unused
///    source with the same basename;
/// 2. (renames only) pairs whose basenames are unique on both sides, at a stricter threshold
///    halfway between the minimum score and 100%;
/// 3. a similarity matrix keeping the 4 best sources per destination, sorted by score then
///    same-basename, assigned greedily — skipped when sources × destinations exceeds
///    `renameLimit`², as git does.
struct RenameDetector: Sendable {
    /// git's `-M` threshold on its 0…60,000 scale (50% by default).
    var minimumScore = GitSimilarityScore.maximum / 2
    /// git's `diff.renameLimit` default.
    var renameLimit = 1000
    /// `-C`: modified files are also sources, and a source may feed several destinations.
    var detectCopies = false

    /// A destination paired with its source, both as indices into the raw change list.
    struct Pair: Sendable, Equatable {
        var source: Int
        var destination: Int
        /// git scale (0…60,000).
        var score: Int
    }

    private struct Candidate {
        var source: Int
        var destination: Int
        var score: Int
        var sameBasename: Bool
    }

    /// Finds the rename/copy pairs among `changes`; `signature(i)` hashes the content of change `i`
    /// (its old side for a source, its new side for a destination) and is called lazily.
    func pairs(
        in changes: [RawTreeChange],
        signature: (_ index: Int, _ newSide: Bool) throws(GitWorkspaceError) -> SpanHashSignature
    ) throws(GitWorkspaceError) -> [Pair] {
        var destinations: [Int] = []
        var sources: [Int] = []
        var used: [Int: Int] = [:]  // source → times used (git's rename_used)
        for (index, change) in changes.enumerated() {
            switch change.kind {
            case .added: destinations.append(index)
            case .deleted: sources.append(index)
            case .modified, .typeChanged:
                if detectCopies {
                    sources.append(index)
                    used[index] = 1  // the file stays, so it can only be copied
                }
            }
        }
        guard !destinations.isEmpty, !sources.isEmpty else { return [] }
        var result: [Int: Pair] = [:]  // by destination
        func record(_ source: Int, _ destination: Int, _ score: Int) {
            used[source, default: 0] += 1
            result[destination] = Pair(source: source, destination: destination, score: score)
        }

        // 1. Exact matches, destinations and sources in path order.
        var sourcesByBlob: [ObjectID: [Int]] = [:]
        for source in sources {
            if let id = changes[source].oldID { sourcesByBlob[id, default: []].append(source) }
        }
        for destination in destinations {
            guard let id = changes[destination].newID, let candidates = sourcesByBlob[id] else { continue }
            var best: Int?
            var bestScore = -1
            for (tried, source) in candidates.enumerated() {
                if tried >= 100 { break }
                guard let oldMode = changes[source].oldMode, let newMode = changes[destination].newMode else { continue }
                if !(oldMode.isRegularFile && newMode.isRegularFile), oldMode != newMode { continue }
                let isUsed = used[source, default: 0] > 0
                if isUsed && !detectCopies { continue }
                let score = (isUsed ? 0 : 1) + (Self.sameBasename(changes[source].path, changes[destination].path) ? 1 : 0)
                if score > bestScore {
                    best = source
                    bestScore = score
                    if score == 2 { break }
                }
            }
            if let best { record(best, destination, GitSimilarityScore.maximum) }
        }
        if minimumScore >= GitSimilarityScore.maximum { return Array(result.values) }

        var remainingSources = detectCopies ? sources : sources.filter { used[$0, default: 0] == 0 }
        var signatures: [Int: SpanHashSignature] = [:]
        func similarity(_ source: Int, _ destination: Int, minimum: Int) throws(GitWorkspaceError) -> Int {
            guard changes[source].oldMode?.isRegularFile == true, changes[destination].newMode?.isRegularFile == true
            else { return 0 }
            // Keys: sources as-is, destinations offset so both sides of one change never collide.
            let sourceKey = source
            let destinationKey = destination + changes.count
            if signatures[sourceKey] == nil { signatures[sourceKey] = try signature(source, false) }
            if signatures[destinationKey] == nil { signatures[destinationKey] = try signature(destination, true) }
            guard let a = signatures[sourceKey], let b = signatures[destinationKey] else { return 0 }
            return GitSimilarityScore.estimate(source: a, destination: b, minimumScore: minimum)
        }

        // 2. Unique-basename matches (git skips this step when detecting copies).
        if !detectCopies {
            let basenameMinimum = minimumScore + (GitSimilarityScore.maximum - minimumScore) / 2
            var sourceByBase: [String: Int] = [:]
            for source in remainingSources {
                let base = Self.basename(changes[source].path)
                sourceByBase[base] = sourceByBase[base] == nil ? source : -1
            }
            var destinationByBase: [String: Int] = [:]
            for destination in destinations where result[destination] == nil {
                let base = Self.basename(changes[destination].path)
                destinationByBase[base] = destinationByBase[base] == nil ? destination : -1
            }
            for source in remainingSources {
                let base = Self.basename(changes[source].path)
                guard sourceByBase[base] == source, let destination = destinationByBase[base],
                    destination >= 0, result[destination] == nil
                else { continue }
                let score = try similarity(source, destination, minimum: basenameMinimum)
                if score >= basenameMinimum { record(source, destination, score) }
            }
            remainingSources = remainingSources.filter { used[$0, default: 0] == 0 }
        }

        // 3. The similarity matrix.
        let openDestinations = destinations.filter { result[$0] == nil }
        guard !openDestinations.isEmpty, !remainingSources.isEmpty else { return Array(result.values) }
        if renameLimit > 0, openDestinations.count * remainingSources.count > renameLimit * renameLimit {
            return Array(result.values)
        }
        var matrix: [Candidate] = []
        matrix.reserveCapacity(openDestinations.count * 4)
        for destination in openDestinations {
            var best: [Candidate?] = [nil, nil, nil, nil]
            for source in remainingSources {
                let candidate = Candidate(
                    source: source, destination: destination,
                    score: try similarity(source, destination, minimum: minimumScore),
                    sameBasename: Self.sameBasename(changes[source].path, changes[destination].path))
                // Replace the worst kept candidate (the first of equally bad ones) if strictly worse.
                var worst = 0
                for slot in 1..<4 where Self.isWorse(best[slot], than: best[worst]) { worst = slot }
                if Self.isWorse(best[worst], than: candidate) { best[worst] = candidate }
            }
            matrix.append(contentsOf: best.compactMap { $0 })
        }
        // Stable sort: higher score first, then same basename first.
        let ordered = matrix.enumerated().sorted { lhs, rhs in
            if lhs.element.score != rhs.element.score { return lhs.element.score > rhs.element.score }
            if lhs.element.sameBasename != rhs.element.sameBasename { return lhs.element.sameBasename }
            return lhs.offset < rhs.offset
        }.map(\.element)
        for pass in detectCopies ? [false, true] : [false] {
            for candidate in ordered {
                if candidate.score < minimumScore { break }
                if result[candidate.destination] != nil { continue }
                if !pass, used[candidate.source, default: 0] > 0 { continue }
                record(candidate.source, candidate.destination, candidate.score)
            }
        }
        return Array(result.values)
    }

    /// git's `score_compare(a, b) > 0`: `a` sorts after `b` (empty slots sort last).
    private static func isWorse(_ a: Candidate?, than b: Candidate?) -> Bool {
        guard let a else { return b != nil }
        guard let b else { return false }
        if a.score != b.score { return a.score < b.score }
        return !a.sameBasename && b.sameBasename
    }

    private static func basename(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    private static func sameBasename(_ a: String, _ b: String) -> Bool {
        basename(a) == basename(b)
    }
}
