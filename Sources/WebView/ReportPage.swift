import Foundation
import Voting

/// The report page: one self-contained HTML file (no network, no external resources) whose
/// inline script renders a `ReportDocument`.
///
/// Rendering happens in the page so the static report (`mg report`, document embedded) and the
/// live view (`mg serve`, document fetched and refreshed from the event stream) are one page with
/// one renderer. The diff highlighter is a few lines of hand-written JavaScript: no package on
/// the machine's list highlights code for the browser, and a page with no external resources
/// cannot load one.
public enum ReportPage {
    /// The static report of `document`.
    public static func html(_ document: ReportDocument) throws -> String {
        page(title: "mg — session \(document.session.id)", data: try embeddedJSON(document), live: nil)
    }

    /// The live page of `session`: it loads `api/session/<id>` and follows `api/events/<id>`,
    /// passing `token` on every request.
    public static func liveHTML(session: String, token: String) -> String {
        page(title: "mg — session \(session) (live)", data: nil, live: (session, token))
    }

    /// `document` as JSON (ISO 8601 dates, sorted keys).
    public static func json(_ document: ReportDocument) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(document)
    }

    /// The JSON made safe inside `<script>`: no `<`, so neither `</script>` nor `<!--` can end it.
    static func embeddedJSON(_ document: ReportDocument) throws -> String {
        String(decoding: try json(document), as: UTF8.self).replacingOccurrences(of: "<", with: "\\u003c")
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    private static func page(title: String, data: String?, live: (session: String, token: String)?) -> String {
        var attributes = ""
        if let live {
            attributes = " data-live-session=\"\(escape(live.session))\" data-token=\"\(escape(live.token))\""
        }
        let dataScript = data.map { "<script type=\"application/json\" id=\"mg-data\">\($0)</script>\n" } ?? ""
        return """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title))</title>
            <link rel="icon" href="data:,">
            <style>\(ReportStyle.css)</style>
            </head><body>
            <main id="mg-root"\(attributes)><noscript>This report is drawn by its inline script; enable JavaScript to see it.</noscript></main>
            \(dataScript)<script>\(ReportScript.source)</script>
            </body></html>

            """
    }
}
