import CodingAgent

/// `pricing:` — an agent's price (`backend.pricing: {input, output, cached_input, cache_write}`,
/// USD per 1M tokens) and the file's table (`orchestrator.pricing: {model or prefix: price}`).
/// Either wins over the built-in table; a price that is no price is an error, not a warning, since
/// `--max-cost` and the reported spend depend on it.
extension MassGenConfigurationParser {
    func readPrice(_ value: YAMLValue) throws(ConfigurationError) -> ModelPrice {
        guard let price = ModelPrice(json: try value.json()), Self.isValid(price) else {
            throw value.invalid(
                "a price in USD per 1M tokens: {input: 2.5, output: 10} (optional cached_input, cache_write), numbers ≥ 0")
        }
        return price
    }

    func readPriceTable(_ value: YAMLValue) throws(ConfigurationError) -> [String: ModelPrice] {
        var prices: [String: ModelPrice] = [:]
        for (model, item) in try value.entries() {
            prices[model] = try readPrice(item)
        }
        return prices
    }

    private static func isValid(_ price: ModelPrice) -> Bool {
        [price.inputPerMillion, price.outputPerMillion, price.cachedInputPerMillion ?? 0, price.cacheWritePerMillion ?? 0]
            .allSatisfy { $0.isFinite && $0 >= 0 }
    }
}
