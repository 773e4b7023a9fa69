import ArgumentParser
import Foundation

/// Where `mg fix` and `mg continue` take the task from: the argument, `--task-file FILE`, or
/// `-` for standard input (long tasks, generated tasks). An empty task is refused (64).
struct TaskInput: ParsableArguments {
    @Option(name: .customLong("task-file"), help: "Read the task from FILE (for long tasks).")
    var taskFile: String?

    /// The task text from `argument` (`-`: standard input) or `--task-file`.
    func resolve(_ argument: String?, command: String) throws -> String {
        let text: String
        switch (argument, taskFile) {
        case (let argument?, _?) where !argument.isEmpty:
            throw ValidationError("Give the task once: as an argument or with --task-file, not both.")
        case (_, let file?):
            do {
                text = try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw ValidationError("Cannot read the task file \(file): \(error.localizedDescription).")
            }
        case ("-"?, nil):
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        case (let argument?, nil):
            text = argument
        case (nil, nil):
            throw ValidationError(
                "Give the task: mg \(command) \"what to do\", or --task-file FILE, or - to read it from stdin.")
        }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ValidationError(
                "The task is empty. Say what to fix or build, e.g. mg \(command) \"the login test fails on empty passwords\".")
        }
        return text
    }

    /// A long or multi-line task as one short line for logs and the live view.
    static func headline(_ task: String, limit: Int = 200) -> String {
        let lines = task.split(whereSeparator: \.isNewline)
        let first = lines.first.map(String.init) ?? ""
        let long = task.utf8.count > limit || lines.count > 1
        guard long else { return task }
        let cut = first.count > limit ? String(first.prefix(limit - 1)) + "…" : first
        let size = task.utf8.count >= 2048 ? "\(task.utf8.count / 1024) KB" : "\(task.utf8.count) bytes"
        return cut + " (… \(size) in all)"
    }
}
