import Foundation

/// What a model costs, in US dollars per million tokens.
public struct ModelPrice: Sendable, Hashable, Codable {
    /// Uncached input (prompt) tokens.
    public var inputPerMillion: Double
    /// Output tokens, reasoning included.
    public var outputPerMillion: Double
    /// Input tokens served from the provider's prompt cache; `nil` bills them as plain input.
    public var cachedInputPerMillion: Double?
    /// Input tokens written to the provider's prompt cache (Anthropic: 1.25 × input for the
    /// 5-minute cache); `nil` bills them as plain input.
    public var cacheWritePerMillion: Double?

    /// Creates a price.
    public init(
        inputPerMillion: Double, outputPerMillion: Double, cachedInputPerMillion: Double? = nil,
        cacheWritePerMillion: Double? = nil
    ) {
        self.inputPerMillion = inputPerMillion
        self.outputPerMillion = outputPerMillion
        self.cachedInputPerMillion = cachedInputPerMillion
        self.cacheWritePerMillion = cacheWritePerMillion
    }

    /// Free (local models).
    public static let free = ModelPrice(inputPerMillion: 0, outputPerMillion: 0, cachedInputPerMillion: 0)

    /// The cost of one call. `usage.inputTokens` includes the cached and the cache-written ones,
    /// which are billed at the cached and cache-write rates instead of the input rate.
    public func cost(of usage: TokenUsage) -> Double {
        let cached = min(usage.cachedInputTokens, usage.inputTokens)
        let written = min(usage.cacheWriteInputTokens, usage.inputTokens - cached)
        let plain = usage.inputTokens - cached - written
        let cachedRate = cachedInputPerMillion ?? inputPerMillion
        let writeRate = cacheWritePerMillion ?? inputPerMillion
        return
            (Double(plain) * inputPerMillion + Double(cached) * cachedRate + Double(written) * writeRate
            + Double(usage.outputTokens) * outputPerMillion)
            / 1_000_000
    }

    /// Reads `{input: 3.0, output: 15.0, cached_input: 0.3, cache_write: 3.75}` (the
    /// `_per_million` suffix and `cached` are accepted too); `nil` when input or output is missing.
    public init?(json: JSONValue) {
        func number(_ keys: [String]) -> Double? {
            keys.lazy.compactMap { json[$0]?.numberValue }.first
        }
        guard let input = number(["input", "input_per_million"]),
            let output = number(["output", "output_per_million"])
        else { return nil }
        self.init(
            inputPerMillion: input, outputPerMillion: output,
            cachedInputPerMillion: number(["cached_input", "cached_input_per_million", "cached"]),
            cacheWritePerMillion: number(["cache_write", "cache_write_per_million"]))
    }
}

/// Prices of common models, looked up by exact name or longest matching prefix (so dated
/// snapshots such as `claude-sonnet-4-20250514` find `claude-sonnet-4`). Config can override.
public struct PriceTable: Sendable, Hashable {
    /// Model name or prefix → price.
    public var entries: [String: ModelPrice]
    /// The configuration's entries (`orchestrator.pricing`), consulted before `entries`: a
    /// configured prefix such as `gpt-4` wins over a built-in exact `gpt-4o`.
    public var overrides: [String: ModelPrice] = [:]

    /// Creates a table.
    public init(entries: [String: ModelPrice]) {
        self.entries = entries
    }

    /// The price for `model`: the configured entries first, then the built-in ones; in each an
    /// exact entry, else the longest prefix entry; else `nil` (unknown).
    public func price(for model: String) -> ModelPrice? {
        let name = model.lowercased()
        for table in [overrides, entries] {
            if let exact = table[name] { return exact }
            if let prefix = table.filter({ name.hasPrefix($0.key) }).max(by: { $0.key.count < $1.key.count }) {
                return prefix.value
            }
        }
        return nil
    }

    /// This table with `overrides` winning over every built-in entry.
    public func overriding(_ overrides: [String: ModelPrice]) -> PriceTable {
        var table = self
        for (model, price) in overrides { table.overrides[model.lowercased()] = price }
        return table
    }

    /// Reads a config `pricing:` map, `{model: {input:, output:, cached_input:}}`; entries that are
    /// not price objects are returned as names so the caller can warn about them.
    public static func overrides(from json: JSONValue) -> (prices: [String: ModelPrice], invalid: [String]) {
        guard case .object(let fields) = json else { return ([:], []) }
        var prices: [String: ModelPrice] = [:]
        var invalid: [String] = []
        for (model, value) in fields {
            if let price = ModelPrice(json: value) { prices[model] = price } else { invalid.append(model) }
        }
        return (prices, invalid.sorted())
    }

    private static func p(_ input: Double, _ output: Double, _ cached: Double?) -> ModelPrice {
        ModelPrice(inputPerMillion: input, outputPerMillion: output, cachedInputPerMillion: cached)
    }

    /// Anthropic: cache reads at 0.1 × input, 5-minute cache writes at 1.25 × input.
    private static func anthropic(_ input: Double, _ output: Double) -> ModelPrice {
        ModelPrice(
            inputPerMillion: input, outputPerMillion: output, cachedInputPerMillion: input / 10,
            cacheWritePerMillion: input * 1.25)
    }

    /// List prices (USD per 1M tokens) of common models as published by their providers in 2025:
    /// input, output and cached input (OpenAI's cached-input price, Anthropic's cache reads and
    /// writes, Gemini's context-cache price). They change; override them in config when they do.
    public static let standard = PriceTable(entries: [
        "gpt-4o": p(2.50, 10.00, 1.25),
        "gpt-4o-mini": p(0.15, 0.60, 0.075),
        "gpt-4.1": p(2.00, 8.00, 0.50),
        "gpt-4.1-mini": p(0.40, 1.60, 0.10),
        "gpt-4.1-nano": p(0.10, 0.40, 0.025),
        "gpt-5": p(1.25, 10.00, 0.125),
        "gpt-5-mini": p(0.25, 2.00, 0.025),
        "gpt-5-nano": p(0.05, 0.40, 0.005),
        "o1": p(15.00, 60.00, 7.50),
        "o3": p(2.00, 8.00, 0.50),
        "o3-mini": p(1.10, 4.40, 0.55),
        "o4-mini": p(1.10, 4.40, 0.275),
        "claude-opus-4": anthropic(15.00, 75.00),
        "claude-opus-4-5": anthropic(5.00, 25.00),
        "claude-sonnet-4": anthropic(3.00, 15.00),
        "claude-3-7-sonnet": anthropic(3.00, 15.00),
        "claude-3-5-sonnet": anthropic(3.00, 15.00),
        "claude-haiku-4-5": anthropic(1.00, 5.00),
        "claude-3-5-haiku": anthropic(0.80, 4.00),
        "gemini-2.5-pro": p(1.25, 10.00, 0.31),
        "gemini-2.5-flash": p(0.30, 2.50, 0.075),
        "gemini-2.5-flash-lite": p(0.10, 0.40, 0.025),
        "gemini-2.0-flash": p(0.10, 0.40, 0.025),
        "grok-4": p(3.00, 15.00, 0.75),
        "grok-3": p(3.00, 15.00, 0.75),
        "grok-3-mini": p(0.30, 0.50, 0.075),
        "glm-4.5": p(0.60, 2.20, 0.11),
        "glm-4.5-air": p(0.20, 1.10, 0.03),
    ])
}
