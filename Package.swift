// swift-tools-version: 6.2
// mg — a git-native multi-agent coding assistant.
// Dependencies flow one way: mg → WebView → Voting → CodingAgent → GitWorkspace → C system libraries.
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "mg",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "mg", targets: ["mg"]),
        .library(name: "GitWorkspace", targets: ["GitWorkspace"]),
        .library(name: "CodingAgent", targets: ["CodingAgent"]),
        .library(name: "Voting", targets: ["Voting"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.0"),
        // `mg serve` / `mg fix --web`: a small HTTP server on BSD sockets (no SwiftNIO to build).
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
        // SHA-256 of attachments (BoringSSL's, with the CPU's SHA extensions where it has them).
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        // MCP: servers as tools for API agents (client) and `mg mcp` (server), one SDK for both sides.
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
    ],
    targets: [
        // C system libraries (Debian: libgit2-dev, libcurl4-openssl-dev, libsqlite3-dev).
        .systemLibrary(
            name: "CLibGit2", pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"]), .brew(["libgit2"])]),
        .systemLibrary(
            name: "CCurl", pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"]), .brew(["curl"])]),
        .systemLibrary(
            name: "CSQLite3", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]),

        .target(name: "GitWorkspace", dependencies: ["CLibGit2", "CSQLite3"], swiftSettings: strict),
        .target(
            name: "CodingAgent",
            dependencies: [
                "GitWorkspace", "CCurl",
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "MCP", package: "swift-sdk"),
            ],
            swiftSettings: strict),
        .target(
            name: "Voting",
            dependencies: [
                "CodingAgent", .product(name: "Yams", package: "Yams"), .product(name: "MCP", package: "swift-sdk"),
            ],
            swiftSettings: strict),
        // The session report (HTML) and the live web view over the session store.
        .target(
            name: "WebView",
            dependencies: ["Voting", .product(name: "FlyingFox", package: "FlyingFox")],
            swiftSettings: strict),
        .executableTarget(
            name: "mg",
            dependencies: [
                "WebView", "Voting", "GitWorkspace", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),

        // `swift run -c release mg-bench <name>`: speed and memory figures against the git CLI and targets;
        // `mg-bench fixrate`: real models' fix rate on the corpus in Benchmarks/fixrate/cases (data, excluded from sources).
        .executableTarget(
            name: "mg-bench", dependencies: ["Voting", "MGTestSupport"], path: "Benchmarks",
            exclude: ["fixrate"], swiftSettings: strict),

        // Hermetic temporary repositories, the git CLI as a reference, loopback HTTP servers.
        .target(name: "MGTestSupport", dependencies: ["GitWorkspace"], swiftSettings: strict),
        .testTarget(
            name: "GitWorkspaceTests", dependencies: ["GitWorkspace", "MGTestSupport"],
            swiftSettings: strict),
        .testTarget(
            name: "CodingAgentTests", dependencies: ["CodingAgent", "MGTestSupport"],
            exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(
            name: "VotingTests", dependencies: ["Voting", "MGTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "mgTests", dependencies: ["mg", "MGTestSupport"], exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(
            name: "WebViewTests", dependencies: ["WebView", "MGTestSupport"], swiftSettings: strict),
    ]
)
