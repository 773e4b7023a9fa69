/// `Duration` in the plain units that APIs, records and messages use.
extension Duration {
    /// The duration in seconds, fractions kept (1.5 for 1 500 ms).
    public var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    /// The duration in whole milliseconds, rounded down.
    public var inMilliseconds: Int {
        Int(components.seconds) * 1000 + Int(components.attoseconds / 1_000_000_000_000_000)
    }
}
