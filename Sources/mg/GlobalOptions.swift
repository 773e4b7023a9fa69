import ArgumentParser

/// Flags every command takes.
struct GlobalOptions: ParsableArguments {
    @Flag(name: .customLong("no-color"), help: "Never colour output (NO_COLOR is honoured too).")
    var noColor = false

    @Flag(name: .shortAndLong, help: "Print only the result.")
    var quiet = false

    @Flag(help: "Print machine-readable JSON on stdout; human text goes to stderr.")
    var json = false

    var console: Console { Console(options: self) }
}
