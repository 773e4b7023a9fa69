import Foundation
import MGTestSupport

/// Debian's `chromium` run headless (scripts/install-deps installs it): the DOM a page ends up
/// with, the console lines it logged, a screenshot.
///
/// `--virtual-time-budget` makes Chromium wait until the page is idle; virtual time does not pass
/// while a request is open, so a live page is dumped only after its event stream has ended.
/// Console messages reach stderr through `--enable-logging=stderr` as `…:CONSOLE…` lines; the
/// report's script logs nothing, so any such line is an error.
enum HeadlessChromium {
    static var path: String {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
            ?? "chromium"
    }

    struct Page {
        var dom: String
        var consoleLines: [String]
    }

    static func arguments(_ extra: [String]) -> [String] {
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         "--enable-logging=stderr", "--v=0", "--virtual-time-budget=20000"] + extra
    }

    /// Loads `url` and returns the DOM once the page is idle.
    static func dumpDOM(_ url: String, profile: String) throws -> Page {
        let run = try ProcessRunner.run(
            path, arguments(["--user-data-dir=\(profile)/dom", "--dump-dom", url]), in: profile,
            environment: ["HOME": profile, "PATH": "/usr/bin:/bin"])
        let console = run.stderr.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init)
        return Page(dom: run.stdout, consoleLines: console)
    }

    /// Writes a screenshot of `url` to `file`.
    static func screenshot(_ url: String, to file: String, profile: String) throws {
        _ = try ProcessRunner.run(
            path,
            arguments(["--user-data-dir=\(profile)/shot", "--window-size=1280,2000", "--screenshot=\(file)", url]),
            in: profile, environment: ["HOME": profile, "PATH": "/usr/bin:/bin"])
    }

    /// How often `needle` occurs in `text`.
    static func count(_ needle: String, in text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }
}
