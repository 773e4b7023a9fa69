import Foundation

/// A provider answered with an HTTP error status. Backends throw it from a `RetryPolicy` attempt
/// so the policy can retry 429/5xx, then turn the final one into a `BackendError` with
/// `BackendError.fromHTTP(status:body:provider:keyVariable:)`.
public struct HTTPStatusError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The status code.
    public var status: Int
    /// Response headers (names lowercased), for `Retry-After`.
    public var headers: [String: String]
    /// The start of the response body (error bodies are small; at most `bodyLimit` bytes are kept).
    public var body: String

    /// Bytes of an error body kept by `init(response:)`.
    public static let bodyLimit = 64 * 1024

    /// Creates an error from parts.
    public init(status: Int, headers: [String: String] = [:], body: String = "") {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Reads (the start of) the body of an error response.
    public init(response: HTTPResponse) async throws {
        var data = Data()
        for try await chunk in response.body {
            data.append(chunk.prefix(Self.bodyLimit - data.count))
            if data.count >= Self.bodyLimit { break }
        }
        self.init(status: response.status, headers: response.headers, body: String(decoding: data, as: UTF8.self))
    }

    /// 429, 500, 502, 503 and 504 are worth another attempt, except a 429 that says the quota or
    /// billing is exhausted: waiting does not fix that.
    public var isRetryable: Bool {
        switch status {
        case 429: !Self.mentionsQuota(body)
        case 500, 502, 503, 504: true
        default: false
        }
    }

    /// The wait the server asked for in `retry-after-ms` (OpenAI) or `Retry-After` (seconds or an
    /// HTTP-date), relative to `now`; nil when absent or unparseable.
    public func retryAfter(now: Date) -> Duration? {
        if let milliseconds = headers["retry-after-ms"].flatMap({ Double($0.trimmingCharacters(in: .whitespaces)) }),
            milliseconds >= 0
        {
            return .milliseconds(Int64(milliseconds))
        }
        return headers["retry-after"].flatMap { Self.parseRetryAfter($0, now: now) }
    }

    /// Parses a `Retry-After` value: delta-seconds or an HTTP-date (IMF-fixdate, RFC 850 or asctime).
    /// A date in the past means "now" (zero).
    public static func parseRetryAfter(_ value: String, now: Date) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(trimmed) {
            return seconds >= 0 ? .seconds(seconds) : nil
        }
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = format
            if let date = formatter.date(from: trimmed) {
                let seconds = max(0, date.timeIntervalSince(now))
                return .milliseconds(Int64(seconds * 1000))
            }
        }
        return nil
    }

    /// Whether an error body says the account is out of quota or credit.
    static func mentionsQuota(_ body: String) -> Bool {
        let lowered = body.lowercased()
        return ["insufficient_quota", "quota", "billing", "credit balance"].contains { lowered.contains($0) }
    }

    /// `HTTP <status>: <body start>`.
    public var description: String {
        "HTTP \(status): \(body.prefix(300))"
    }
}
