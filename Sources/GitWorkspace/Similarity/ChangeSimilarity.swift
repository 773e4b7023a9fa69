/// How alike two agents' changes to the same base are, in [0, 1] (docs/similarity.md).
///
/// For each file touched by either change, the overlap is the multiset Jaccard index of the two
/// changed-line multisets, |A ∩ B| / |A ∪ B| (0 when only one side touches the file). The score
/// is the sum of those overlaps, each weighted by the file's mean share of changed lines,
/// (share in A + share in B) / 2. So identical changes score 1, changes to disjoint files 0, and
/// a large file both agents rewrote alike counts more than a one-line tweak they did differently.
/// Two empty changes are identical (1); an empty and a non-empty change share nothing (0).
/// The score is symmetric.
public enum ChangeSimilarity {
    /// The similarity of two changes relative to the same base.
    public static func score(_ a: ChangeFingerprint, _ b: ChangeFingerprint) -> Double {
        if a.tree == b.tree { return 1 }  // same resulting tree ⇒ same change (fast path)
        let totalA = a.totalSize
        let totalB = b.totalSize
        if totalA == 0 && totalB == 0 { return 1 }
        if totalA == 0 || totalB == 0 { return 0 }
        var score = 0.0
        for (path, tokensA) in a.files {
            guard let tokensB = b.files[path] else { continue }
            var intersection = 0
            var union = 0
            for key in Set(tokensA.keys).union(tokensB.keys) {
                let countA = tokensA[key] ?? 0
                let countB = tokensB[key] ?? 0
                intersection += min(countA, countB)
                union += max(countA, countB)
            }
            guard union > 0 else { continue }
            let weight = (Double(a.size(of: path)) / Double(totalA) + Double(b.size(of: path)) / Double(totalB)) / 2
            score += weight * Double(intersection) / Double(union)
        }
        return min(1, max(0, score))
    }

    /// The similarity of two diffs from the same base.
    public static func score(_ a: TreeDiff, _ b: TreeDiff) -> Double {
        score(ChangeFingerprint(a), ChangeFingerprint(b))
    }

    /// The pairwise matrix for N changes (each a diff from the shared base): symmetric, 1 on
    /// the diagonal.
    public static func matrix(_ changes: [TreeDiff]) -> SimilarityMatrix {
        let fingerprints = changes.map(ChangeFingerprint.init)
        var values = Array(repeating: Array(repeating: 1.0, count: changes.count), count: changes.count)
        for i in fingerprints.indices {
            for j in fingerprints.indices where j > i {
                let value = score(fingerprints[i], fingerprints[j])
                values[i][j] = value
                values[j][i] = value
            }
        }
        return SimilarityMatrix(values: values)
    }
}

/// Pairwise similarities of N answers, with the convergence label of docs/similarity.md.
public struct SimilarityMatrix: Sendable, Hashable {
    /// `values[i][j]` is the similarity of answers i and j.
    public let values: [[Double]]

    /// Wraps a square matrix.
    public init(values: [[Double]]) {
        self.values = values
    }

    /// How far the answers agree overall.
    public enum Label: String, Sendable, Hashable, Codable {
        /// Mean pairwise similarity ≥ 0.8: the agents largely made the same change.
        case converged
        /// Between the two thresholds.
        case mixed
        /// Mean pairwise similarity ≤ 0.3: the agents explored different changes.
        case diverse
        /// Fewer than two answers: nothing to compare.
        case single
    }

    /// Mean of the off-diagonal entries, `nil` with fewer than two answers.
    public var meanOffDiagonal: Double? {
        guard values.count > 1 else { return nil }
        var sum = 0.0
        for i in values.indices {
            for j in values.indices where j != i { sum += values[i][j] }
        }
        return sum / Double(values.count * (values.count - 1))
    }

    /// `converged` at a mean ≥ `convergedAt`, `diverse` at ≤ `diverseAt`, else `mixed`.
    public func label(convergedAt: Double = 0.8, diverseAt: Double = 0.3) -> Label {
        guard let mean = meanOffDiagonal else { return .single }
        if mean >= convergedAt { return .converged }
        if mean <= diverseAt { return .diverse }
        return .mixed
    }
}
