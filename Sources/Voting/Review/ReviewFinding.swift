import Foundation

/// What a reviewer concluded about a change.
public enum ReviewVerdict: String, Sendable, Hashable, Codable, CaseIterable {
    /// The change can go in.
    case approve
    /// The change needs work first.
    case requestChanges = "request_changes"
}

/// How much a finding matters, least to most.
public enum FindingSeverity: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    /// A remark; nothing to fix.
    case info
    /// Worth fixing, not blocking.
    case minor
    /// Should be fixed before merging.
    case major
    /// A bug, data loss or security problem.
    case critical

    public static func < (lhs: FindingSeverity, rhs: FindingSeverity) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}

/// One problem a reviewer found: where, how bad, what. After merging, `agents` lists every
/// reviewer who reported it.
public struct ReviewFinding: Sendable, Hashable, Codable {
    /// Repository-relative path.
    public var path: String
    /// 1-based line in the change's version of the file, when the reviewer gave one.
    public var line: Int?
    /// How much it matters.
    public var severity: FindingSeverity
    /// What is wrong and, ideally, how to fix it.
    public var text: String
    /// The reviewers (configured ids) who reported it.
    public var agents: [String]

    /// Creates a finding.
    public init(path: String, line: Int?, severity: FindingSeverity, text: String, agents: [String]) {
        self.path = path
        self.line = line
        self.severity = severity
        self.text = text
        self.agents = agents
    }

    /// `path:line` (or just the path).
    public var location: String { line.map { "\(path):\($0)" } ?? path }
}

/// Merges the findings of several reviewers: two findings are the same when they name the same
/// file, lines at most `lineSlack` apart (or both no line), and say much the same thing (word
/// overlap at least `textOverlap`). The merged finding keeps the highest severity, the longest
/// text and every reporter; the list is sorted most severe first, then by location.
public enum FindingMerger {
    /// Lines this close count as the same place (reviewers often point one line off).
    public static let lineSlack = 3
    /// Share of words two texts must have in common (Jaccard) to be the same finding.
    public static let textOverlap = 0.3

    /// The merged, de-duplicated findings.
    public static func merge(_ findings: [ReviewFinding]) -> [ReviewFinding] {
        var merged: [ReviewFinding] = []
        for finding in findings {
            if let index = merged.firstIndex(where: { same($0, finding) }) {
                var existing = merged[index]
                existing.severity = max(existing.severity, finding.severity)
                if finding.text.count > existing.text.count { existing.text = finding.text }
                for agent in finding.agents where !existing.agents.contains(agent) { existing.agents.append(agent) }
                if existing.line == nil { existing.line = finding.line }
                merged[index] = existing
            } else {
                merged.append(finding)
            }
        }
        return merged.sorted {
            if $0.severity != $1.severity { return $0.severity > $1.severity }
            if $0.path != $1.path { return $0.path < $1.path }
            return ($0.line ?? 0) < ($1.line ?? 0)
        }
    }

    static func same(_ a: ReviewFinding, _ b: ReviewFinding) -> Bool {
        guard a.path == b.path else { return false }
        switch (a.line, b.line) {
        case (let x?, let y?) where abs(x - y) > lineSlack: return false
        case (nil, _?), (_?, nil): return false
        default: break
        }
        return overlap(words(a.text), words(b.text)) >= textOverlap
    }

    static func words(_ text: String) -> Set<String> {
        Set(
            text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init).filter { $0.count > 2 })
    }

    static func overlap(_ a: Set<String>, _ b: Set<String>) -> Double {
        let union = a.union(b).count
        return union == 0 ? 1 : Double(a.intersection(b).count) / Double(union)
    }
}
