import Foundation

// Descriptions of requests and headers that are safe to log: secret header values are replaced
// and URL queries (where Gemini carries its key) dropped, including in `dump` and the debugger.

extension HTTPHeader: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// `Name: value`, or `Name: <redacted>` for a secret header.
    public var description: String {
        "\(name): \(isSecret ? "<redacted>" : value)"
    }

    /// Same as `description`: secrets are hidden in debug output too.
    public var debugDescription: String { description }

    /// Mirrors `name` and a redacted `value`, so `dump` and the debugger never show a secret.
    public var customMirror: Mirror {
        Mirror(self, children: ["name": name, "value": isSecret ? "<redacted>" : value, "isSecret": isSecret])
    }
}

extension HTTPRequest: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The URL without its query, with scheme, host and path only.
    public var redactedURL: String {
        guard var components = URLComponents(string: url) else { return "<unparseable URL>" }
        if components.query != nil { components.query = "<redacted>" }
        components.user = nil
        components.password = nil
        return components.string ?? "<unparseable URL>"
    }

    /// `METHOD url` with the query redacted, the headers (secrets redacted) and a body summary.
    public var description: String {
        let headerText = headers.map(\.description).joined(separator: "; ")
        return "\(method) \(redactedURL) [\(headerText)] body: \(body.count) part(s)"
    }

    /// Same as `description`.
    public var debugDescription: String { description }

    /// Mirrors only redacted fields.
    public var customMirror: Mirror {
        Mirror(self, children: ["method": method, "url": redactedURL, "headers": headers, "bodyParts": body.count])
    }
}
