import Foundation

/// Which proxy a request goes through, resolved from environment variables.
///
/// libcurl reads `http_proxy`, `https_proxy`, `all_proxy` and `no_proxy` on its own but ignores
/// upper-case `HTTP_PROXY` (a CGI safety rule that does not apply to a CLI), and reads the real
/// process environment, which tests cannot vary safely. So the transport resolves the proxy itself
/// from the environment it was given and always sets `CURLOPT_PROXY` (an empty string when there is
/// none, which also stops libcurl's own lookup): one rule, easy to test.
///
/// Rule, per URL scheme: `http` uses `http_proxy`, then `HTTP_PROXY`; `https` uses `https_proxy`,
/// then `HTTPS_PROXY`; both then fall back to `all_proxy`, then `ALL_PROXY`. `no_proxy` (then
/// `NO_PROXY`) lists hosts that bypass the proxy, passed to libcurl as `CURLOPT_NOPROXY`.
/// Empty values count as unset.
public struct ProxySettings: Sendable, Hashable {
    /// The proxy URL for `http://` requests, if any.
    public var httpProxy: String?
    /// The proxy URL for `https://` requests, if any.
    public var httpsProxy: String?
    /// Comma-separated hosts or domains that bypass the proxy (`*` bypasses it for every host).
    public var noProxy: String?

    /// Creates settings explicitly.
    public init(httpProxy: String? = nil, httpsProxy: String? = nil, noProxy: String? = nil) {
        self.httpProxy = httpProxy
        self.httpsProxy = httpsProxy
        self.noProxy = noProxy
    }

    /// Resolves settings from environment variables (lower case first, then upper case).
    public init(environment: [String: String]) {
        func value(_ names: String...) -> String? {
            for name in names {
                if let found = environment[name], !found.isEmpty { return found }
            }
            return nil
        }
        httpProxy = value("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY")
        httpsProxy = value("https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY")
        noProxy = value("no_proxy", "NO_PROXY")
    }

    /// The proxy for `url`, chosen by its scheme; nil means connect directly (`no_proxy` is
    /// applied by libcurl).
    public func proxy(for url: String) -> String? {
        url.lowercased().hasPrefix("https:") ? httpsProxy : httpProxy
    }
}
