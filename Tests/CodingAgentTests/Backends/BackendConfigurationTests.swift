import Foundation
import Testing

@testable import CodingAgent

/// Type inference, key lookup, factory wiring, masking and pricing.
@Suite struct BackendConfigurationTests {
    @Test(arguments: [
        ("gpt-4o-mini", BackendType.openai), ("o3-mini", .openai), ("o4-mini", .openai),
        ("claude-sonnet-4-20250514", .claude),
        ("gemini-2.5-flash", .gemini), ("grok-4", .grok), ("glm-4.5", .zai),
    ])
    func typeIsInferredFromModel(_ model: String, _ expected: BackendType) throws {
        #expect(try BackendConfiguration(model: model).resolvedType() == expected)
    }

    @Test func unknownModelOrTypeIsAClearError() {
        #expect(throws: BackendConfigurationError.cannotInferType(model: "llama3.2:3b")) {
            try BackendConfiguration(model: "llama3.2:3b").resolvedType()
        }
        #expect(throws: BackendConfigurationError.unknownType("openia")) {
            try BackendConfiguration(type: "openia", model: "x").resolvedType()
        }
    }

    @Test func keyComesFromConfigThenEnvironmentInOrder() throws {
        let gemini = BackendConfiguration(model: "gemini-2.5-pro")
        #expect(try gemini.resolvedAPIKey(for: .gemini, environment: ["GOOGLE_API_KEY": "g2"]) == "g2")
        #expect(
            try gemini.resolvedAPIKey(
                for: .gemini, environment: ["GEMINI_API_KEY": "g1", "GOOGLE_API_KEY": "g2"]) == "g1")
        let explicit = BackendConfiguration(model: "claude-x", apiKey: "cfg")
        #expect(try explicit.resolvedAPIKey(for: .claude, environment: ["ANTHROPIC_API_KEY": "env"]) == "cfg")
        #expect(throws: BackendConfigurationError.missingAPIKey(.claude, variables: ["ANTHROPIC_API_KEY"])) {
            try BackendConfiguration(model: "claude-x").resolvedAPIKey(for: .claude, environment: [:])
        }
        #expect(
            try BackendConfiguration(type: "ollama", model: "qwen3").resolvedAPIKey(
                for: .ollama, environment: [:]) == nil)
        let local = BackendConfiguration(type: "chatcompletion", model: "m", baseURL: "http://127.0.0.1:9/v1")
        #expect(try local.resolvedAPIKey(for: .chatcompletion, environment: [:]) == nil)
        let router = BackendConfiguration(
            type: "chatcompletion", model: "m", baseURL: "https://openrouter.ai/api/v1")
        #expect(router.keyVariables(for: .chatcompletion) == ["OPENROUTER_API_KEY"])
    }

    @Test func missingKeyErrorNamesTheVariable() {
        let text = BackendConfigurationError.missingAPIKey(
            .gemini, variables: ["GEMINI_API_KEY", "GOOGLE_API_KEY"]
        ).description
        #expect(text.contains("GEMINI_API_KEY or GOOGLE_API_KEY"))
    }

    @Test func factoryBuildsEachFamilyAndRefusesUnsupportedTypes() throws {
        let factory = BackendFactory(
            transport: LibcurlTransport(environment: [:]), environment: ["OPENAI_API_KEY": "sk-1"])
        #expect(try factory.makeBackend(BackendConfiguration(model: "gpt-4o")) is OpenAIResponsesBackend)
        #expect(
            try factory.makeBackend(BackendConfiguration(type: "vllm", model: "qwen")) is OpenAIChatBackend)
        #expect(
            try factory.makeBackend(BackendConfiguration(model: "claude-x", apiKey: "a")) is AnthropicBackend)
        #expect(
            try factory.makeBackend(BackendConfiguration(model: "gemini-2.5-pro", apiKey: "g"))
                is GeminiBackend)
        #expect(throws: BackendConfigurationError.self) {
            try factory.makeBackend(BackendConfiguration(type: "claude_code", model: "x"))
        }
        #expect(throws: BackendConfigurationError.scriptedUnavailable) {
            try factory.makeBackend(BackendConfiguration(type: "scripted", model: "s"))
        }
        #expect(throws: BackendConfigurationError.missingBaseURL(.azureOpenAI)) {
            try factory.makeBackend(BackendConfiguration(type: "azure_openai", model: "dep", apiKey: "k"))
        }
        let azure = try factory.makeBackend(
            BackendConfiguration(
                type: "azure_openai", model: "dep", apiKey: "k", baseURL: "https://r.openai.azure.com"))
        let http = try #require(azure as? OpenAIChatBackend).format.httpRequest(
            for: ModelRequest(model: "dep", messages: [.text(.user, "x")]))
        #expect(
            http.url.hasPrefix(
                "https://r.openai.azure.com/openai/deployments/dep/chat/completions?api-version="))
        #expect(factory.price(for: BackendConfiguration(type: "ollama", model: "q")) == .free)
    }

    @Test func aKnownModelCostsWhatItCostsWhateverTheHost() {
        let factory = BackendFactory(environment: [:])
        let proxy = BackendConfiguration(type: "chatcompletion", model: "gpt-4o", baseURL: "http://127.0.0.1:8080/v1")
        #expect(factory.price(for: proxy) == PriceTable.standard.price(for: "gpt-4o"))
        #expect(factory.price(for: proxy)?.inputPerMillion ?? 0 > 0)
        // An unknown model on this machine is free; the config's own price wins over both.
        var local = BackendConfiguration(type: "chatcompletion", model: "qwen2.5-coder", baseURL: "http://127.0.0.1:8080/v1")
        #expect(factory.price(for: local) == .free)
        local.price = ModelPrice(inputPerMillion: 1, outputPerMillion: 2)
        #expect(factory.price(for: local) == ModelPrice(inputPerMillion: 1, outputPerMillion: 2))
        // The file's table (orchestrator.pricing) wins over the built-in one.
        let table = PriceTable.standard.overriding(["gpt-4o": ModelPrice(inputPerMillion: 0, outputPerMillion: 0)])
        #expect(factory.price(for: proxy, table: table) == ModelPrice(inputPerMillion: 0, outputPerMillion: 0))
        #expect(factory.price(for: BackendConfiguration(type: "chatcompletion", model: "mystery", baseURL: "https://llm.example.com/v1")) == nil)
    }

    @Test func keysAreMaskedForDisplay() {
        #expect(APIKeyMask.mask("sk-proj-abcdefghijklmnop1234") == "sk-…1234")
        #expect(APIKeyMask.mask("AIzaSyAbcdefghijklmnopqrstu") == "…rstu")
        #expect(APIKeyMask.mask("short") == "…****")
        #expect(APIKeyMask.mask(nil) == "(none)")
    }

    @Test func pricesMatchByLongestPrefixAndCanBeOverridden() throws {
        let table = PriceTable.standard
        #expect(table.price(for: "gpt-4o-mini-2024-07-18") == table.entries["gpt-4o-mini"])
        #expect(table.price(for: "gpt-4o-2024-08-06") == table.entries["gpt-4o"])
        #expect(table.price(for: "claude-sonnet-4-20250514") == table.entries["claude-sonnet-4"])
        #expect(table.price(for: "my-local-model") == nil)
        let json = try #require(
            JSONValue.parse(
                #"{"my-local-model":{"input":1,"output":2,"cached_input":0.5},"bad":{"input":1}}"#))
        let (overrides, invalid) = PriceTable.overrides(from: json)
        #expect(invalid == ["bad"])
        let custom = table.overriding(overrides)
        let price = try #require(custom.price(for: "my-local-model"))
        // 1M input of which 200k cached, 500k output: 0.8 * 1 + 0.2 * 0.5 + 0.5 * 2 = 1.9 USD.
        #expect(
            abs(
                price.cost(
                    of: TokenUsage(inputTokens: 1_000_000, outputTokens: 500_000, cachedInputTokens: 200_000))
                    - 1.9) < 1e-9)
    }

    @Test func costMeterTotalsAcrossCallsAndNamesUnpricedModels() {
        let meter = CostMeter()
        meter.record(model: "gpt-4o", usage: TokenUsage(inputTokens: 1_000_000, outputTokens: 0))
        meter.record(model: "qwen3:8b", usage: TokenUsage(inputTokens: 10, outputTokens: 10))
        meter.record(model: "qwen3:8b", usage: TokenUsage(inputTokens: 10, outputTokens: 10), price: .free)
        #expect(abs(meter.totalCostUSD - 2.5) < 1e-9)
        #expect(meter.unpricedModels == ["qwen3:8b"])
        #expect(meter.totalUsage.inputTokens == 1_000_020)
    }
}
