import Foundation
import Synchronization

/// The tokens and cost of one model call.
public struct UsageRecord: Sendable, Hashable, Codable {
    /// The model that was called.
    public var model: String
    /// Tokens the provider reported.
    public var usage: TokenUsage
    /// Cost in US dollars; `nil` when the model's price is unknown.
    public var costUSD: Double?

    /// Creates a record.
    public init(model: String, usage: TokenUsage, costUSD: Double?) {
        self.model = model
        self.usage = usage
        self.costUSD = costUSD
    }
}

/// Adds up tokens and cost across calls; safe to share between concurrently running agents.
public final class CostMeter: Sendable {
    private let prices: PriceTable
    private let storage = Mutex<[UsageRecord]>([])

    /// A meter pricing calls with `prices` (the standard table unless config overrides it).
    public init(prices: PriceTable = .standard) {
        self.prices = prices
    }

    /// Records one call's usage and returns its priced record. `price` (a per-agent override,
    /// or `.free` for local models) wins over the table.
    @discardableResult
    public func record(model: String, usage: TokenUsage, price: ModelPrice? = nil) -> UsageRecord {
        let record = UsageRecord(
            model: model, usage: usage, costUSD: (price ?? prices.price(for: model))?.cost(of: usage))
        storage.withLock { $0.append(record) }
        return record
    }

    /// Records usage whose cost the caller was told (a CLI agent reporting its own spend);
    /// without `reportedCostUSD` the call is priced like `record(model:usage:price:)`.
    @discardableResult
    public func record(model: String, usage: TokenUsage, reportedCostUSD: Double?, price: ModelPrice? = nil) -> UsageRecord {
        guard let reportedCostUSD else { return record(model: model, usage: usage, price: price) }
        let record = UsageRecord(model: model, usage: usage, costUSD: reportedCostUSD)
        storage.withLock { $0.append(record) }
        return record
    }

    /// Every record so far, in order.
    public var allRecords: [UsageRecord] { storage.withLock { $0 } }

    /// Tokens over all calls.
    public var totalUsage: TokenUsage {
        storage.withLock { $0.reduce(TokenUsage()) { $0 + $1.usage } }
    }

    /// Dollars over all calls whose price is known.
    public var totalCostUSD: Double {
        storage.withLock { $0.reduce(0) { $0 + ($1.costUSD ?? 0) } }
    }

    /// Models called without a known price (their cost is missing from the total).
    public var unpricedModels: [String] {
        storage.withLock { records in Array(Set(records.filter { $0.costUSD == nil }.map(\.model))).sorted() }
    }
}
