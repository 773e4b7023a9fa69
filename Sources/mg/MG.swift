import ArgumentParser
import Voting

@main
struct MG: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mg",
        abstract: "A git-native multi-agent coding assistant.",
        version: "0.1.0",
        subcommands: [DemoCommand.self])
}
