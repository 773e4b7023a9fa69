import Foundation

/// One turn read from a MassGen folder (see `MassGenImporter` for the formats).
struct LegacyTurn: Sendable, Hashable {
    var number: Int
    var task: String
    var winner: String?
    var answer: String?
    var date: Date?
    /// Agent id → model, from `metadata.json`'s `models`.
    var models: [String: String]
    /// Folder relative to `.massgen/`, the import key.
    var legacyPath: String

    /// The turns of `sessions/session_*/`: `metadata.json` first, `SESSION_SUMMARY.txt` for
    /// what it lacks.
    static func load(sessionFolder: String, relative: String, warnings: inout [String]) -> [LegacyTurn] {
        let summary = SummaryBlock.parse((try? String(contentsOfFile: sessionFolder + "/SESSION_SUMMARY.txt", encoding: .utf8)) ?? "")
        var turns: [LegacyTurn] = []
        let folders = numberedFolders(in: sessionFolder)
        if folders.isEmpty {
            // Only SESSION_SUMMARY.txt: it fills the turns (keyed `<session>#turn<N>`).
            return summary.keys.sorted().compactMap { number in
                guard let block = summary[number] else { return nil }
                return LegacyTurn(
                    number: number, task: block.task ?? "", winner: block.winner, answer: nil,
                    date: block.timestamp.flatMap(MassGenImporter.date(fromISO:)), models: [:],
                    legacyPath: relative + "#turn\(number)")
            }
        }
        for (number, name) in folders {
            let folder = sessionFolder + "/" + name
            var metadata: [String: Any] = [:]
            if let data = FileManager.default.contents(atPath: folder + "/metadata.json") {
                if let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] {
                    metadata = object
                } else {
                    warnings.append("\(relative)/\(name)/metadata.json is not a JSON object; used SESSION_SUMMARY.txt instead.")
                }
            }
            let block = summary[number]
            let timestamp = (metadata["timestamp"] as? String) ?? block?.timestamp
            turns.append(
                LegacyTurn(
                    number: number, task: (metadata["task"] as? String) ?? block?.task ?? "",
                    winner: (metadata["winning_agent"] as? String) ?? block?.winner,
                    answer: try? String(contentsOfFile: folder + "/answer.txt", encoding: .utf8),
                    date: timestamp.flatMap(MassGenImporter.date(fromISO:)),
                    models: (metadata["models"] as? [String: String]) ?? [:], legacyPath: relative + "/" + name))
        }
        return turns
    }

    /// The turns of `massgen_logs/log_*/`: one per `turn_N/` folder, or one for the whole run.
    static func load(logFolder: String, relative: String) -> [LegacyTurn] {
        let question = question(in: logFolder)
        let date = MassGenImporter.date(fromFolderName: (logFolder as NSString).lastPathComponent)
        let numbered = numberedFolders(in: logFolder)
        // A single-turn run has no turn_N/ folders: its one turn is the run itself, keyed
        // `<log>#turn1` so it never collides with the session's own key.
        let folders: [(Int, String, String)] =
            numbered.isEmpty
            ? [(1, logFolder, relative + "#turn1")]
            : numbered.map { ($0.0, logFolder + "/" + $0.1, relative + "/" + $0.1) }
        return folders.map { number, folder, legacy in
            let final = finalPresentation(in: folder) ?? (numbered.isEmpty ? nil : finalPresentation(in: logFolder))
            return LegacyTurn(
                number: number, task: Self.question(in: folder) ?? question ?? "(MassGen run \(relative))",
                winner: final?.agent, answer: final?.text, date: date, models: [:], legacyPath: legacy)
        }
    }

    /// `turn_N` sub-folders, by number.
    private static func numberedFolders(in folder: String) -> [(Int, String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.compactMap { name -> (Int, String)? in
            guard name.hasPrefix("turn_"), let n = Int(name.dropFirst(5)), n >= 1 else { return nil }
            return (n, name)
        }.sorted { $0.0 < $1.0 }
    }

    /// `status.json`'s `meta.question`.
    private static func question(in folder: String) -> String? {
        guard let data = FileManager.default.contents(atPath: folder + "/status.json"),
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
            let meta = object["meta"] as? [String: Any]
        else { return nil }
        return meta["question"] as? String
    }

    /// `agent_outputs/final_presentation_<agent>.txt` (not the `_latest` link).
    private static func finalPresentation(in folder: String) -> (agent: String, text: String)? {
        let outputs = folder + "/agent_outputs"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: outputs)) ?? []
        let prefix = "final_presentation_"
        guard let name = names.sorted().first(where: {
            $0.hasPrefix(prefix) && $0.hasSuffix(".txt") && !$0.hasSuffix("_latest.txt")
        }), let text = try? String(contentsOfFile: outputs + "/" + name, encoding: .utf8)
        else { return nil }
        return (String(name.dropFirst(prefix.count).dropLast(4)), text)
    }
}

/// One `TURN N` block of MassGen's `SESSION_SUMMARY.txt`.
struct SummaryBlock: Sendable, Hashable {
    var timestamp: String?
    var winner: String?
    var task: String?

    /// Blocks by turn number. Lines are `Key: value`; a block starts at a `TURN N` line.
    static func parse(_ text: String) -> [Int: SummaryBlock] {
        var blocks: [Int: SummaryBlock] = [:]
        var current: Int?
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("TURN "), let n = Int(line.dropFirst(5).trimmingCharacters(in: .whitespaces)) {
                current = n
                blocks[n] = SummaryBlock()
                continue
            }
            guard let n = current, let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon]
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch key {
            case "Timestamp": blocks[n]?.timestamp = value
            case "Winning Agent": blocks[n]?.winner = value
            case "Task": blocks[n]?.task = value
            default: break
            }
        }
        return blocks
    }
}
