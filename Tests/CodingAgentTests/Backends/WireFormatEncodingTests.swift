import Foundation
import Testing

@testable import CodingAgent

/// Request encoding per provider, checked on the fully materialized JSON body.
@Suite struct WireFormatEncodingTests {
    let endpoint = ProviderEndpoint(baseURL: "https://example.test/v1/", apiKey: "sk-test-secret-1234")

    func request(_ fixtures: BackendFixtures) -> ModelRequest {
        ModelRequest(
            model: "test-model", messages: fixtures.conversation(), tools: BackendFixtures.tools,
            settings: GenerationSettings(temperature: 0.5, maxTokens: 100, extraBody: ["seed": .number(7)]))
    }

    @Test func mediaIsSplicedAsFilePartsNotLoaded() throws {
        let fixtures = try BackendFixtures()
        defer { fixtures.remove() }
        let http = OpenAIChatFormat(endpoint: endpoint).httpRequest(for: request(fixtures))
        let fileParts = http.body.filter { if case .base64File = $0 { true } else { false } }
        #expect(
            fileParts == [
                .base64File(path: fixtures.image.path), .base64File(path: fixtures.audio.path),
                .base64File(path: fixtures.pdf.path),
            ])
        let textBytes = http.body.reduce(0) { total, part in
            if case .bytes(let data) = part { return total + data.count }
            return total
        }
        #expect(textBytes < 3000, "JSON text segments must not contain the media bytes")
        #expect(
            !http.body.contains {
                if case .bytes(let d) = $0 {
                    String(decoding: d, as: UTF8.self).contains("sk-test-secret")
                } else {
                    false
                }
            })
    }

    @Test func openAIChatBody() throws {
        let fixtures = try BackendFixtures()
        defer { fixtures.remove() }
        let http = OpenAIChatFormat(endpoint: endpoint).httpRequest(for: request(fixtures))
        #expect(http.url == "https://example.test/v1/chat/completions")
        #expect(
            http.headers.contains(HTTPHeader("Authorization", "Bearer sk-test-secret-1234", isSecret: true)))
        let body = try bodyObject(http.body)
        #expect(body["stream"] as? Bool == true)
        #expect((body["stream_options"] as? [String: Any])?["include_usage"] as? Bool == true)
        #expect(body["seed"] as? Int == 7)
        #expect(body["max_tokens"] as? Int == 100)
        let messages = try #require(body["messages"] as? [[String: Any]])
        #expect(messages.map { $0["role"] as? String } == ["system", "user", "assistant", "tool", "tool"])
        let content = try #require(messages[1]["content"] as? [[String: Any]])
        #expect(
            content.map { $0["type"] as? String } == ["text", "image_url", "input_audio", "text", "file"])
        let url = try #require((content[1]["image_url"] as? [String: Any])?["url"] as? String)
        #expect(url == "data:image/png;base64," + fixtures.imageBytes.base64EncodedString())
        let audio = try #require(content[2]["input_audio"] as? [String: Any])
        #expect(audio["format"] as? String == "wav")
        #expect(audio["data"] as? String == fixtures.audioBytes.base64EncodedString())
        #expect((content[3]["text"] as? String)?.contains("clip.mp4") == true)
        let file = try #require(content[4]["file"] as? [String: Any])
        #expect(
            file["file_data"] as? String == "data:application/pdf;base64,"
                + fixtures.pdfBytes.base64EncodedString())
        let calls = try #require(messages[2]["tool_calls"] as? [[String: Any]])
        #expect(calls.map { $0["id"] as? String } == ["call_a", "call_b"])
        #expect(messages[3]["tool_call_id"] as? String == "call_a")
        let tools = try #require(body["tools"] as? [[String: Any]])
        #expect((tools[0]["function"] as? [String: Any])?["name"] as? String == "read_file")
    }

    @Test func azureUsesDeploymentURLAndAPIKeyHeader() {
        let format = OpenAIChatFormat(
            endpoint: ProviderEndpoint(baseURL: "https://res.openai.azure.com", apiKey: "az-key"),
            providerName: "Azure OpenAI", keyVariable: "AZURE_OPENAI_API_KEY",
            flavor: .azure(apiVersion: "2024-10-21"))
        let http = format.httpRequest(for: ModelRequest(model: "my-deploy", messages: [.text(.user, "hi")]))
        #expect(
            http.url
                == "https://res.openai.azure.com/openai/deployments/my-deploy/chat/completions?api-version=2024-10-21"
        )
        #expect(http.headers.contains(HTTPHeader("api-key", "az-key", isSecret: true)))
        #expect(!http.headers.contains { $0.name == "Authorization" })
    }

    @Test func responsesBody() throws {
        let fixtures = try BackendFixtures()
        defer { fixtures.remove() }
        let http = OpenAIResponsesFormat(endpoint: endpoint).httpRequest(for: request(fixtures))
        #expect(http.url == "https://example.test/v1/responses")
        let body = try bodyObject(http.body)
        #expect(body["instructions"] as? String == "You are terse.")
        #expect(body["max_output_tokens"] as? Int == 100)
        let input = try #require(body["input"] as? [[String: Any]])
        #expect(
            input.map { ($0["type"] as? String) ?? ($0["role"] as? String) } == [
                "user", "assistant", "function_call", "function_call", "function_call_output",
                "function_call_output",
            ])
        let content = try #require(input[0]["content"] as? [[String: Any]])
        #expect(
            content.map { $0["type"] as? String } == [
                "input_text", "input_image", "input_text", "input_text", "input_file",
            ])
        #expect(
            content[1]["image_url"] as? String == "data:image/png;base64,"
                + fixtures.imageBytes.base64EncodedString())
        #expect((content[2]["text"] as? String)?.contains("voice.wav") == true)
        #expect(input[2]["call_id"] as? String == "call_a")
        #expect(input[5]["output"] as? String == "a.txt")
        let tools = try #require(body["tools"] as? [[String: Any]])
        #expect(tools[1]["name"] as? String == "list_files")
    }

    @Test func anthropicBody() throws {
        let fixtures = try BackendFixtures()
        defer { fixtures.remove() }
        let http = AnthropicFormat(endpoint: endpoint).httpRequest(for: request(fixtures))
        #expect(http.url == "https://example.test/v1/messages")
        #expect(http.headers.contains(HTTPHeader("x-api-key", "sk-test-secret-1234", isSecret: true)))
        #expect(http.headers.contains(HTTPHeader("anthropic-version", "2023-06-01")))
        let body = try bodyObject(http.body)
        #expect(body["system"] as? String == "You are terse.")
        let messages = try #require(body["messages"] as? [[String: Any]])
        #expect(messages.map { $0["role"] as? String } == ["user", "assistant", "user"])
        let first = try #require(messages[0]["content"] as? [[String: Any]])
        #expect(first.map { $0["type"] as? String } == ["text", "image", "text", "text", "document"])
        let source = try #require(first[1]["source"] as? [String: Any])
        #expect(source["media_type"] as? String == "image/png")
        #expect(source["data"] as? String == fixtures.imageBytes.base64EncodedString())
        let uses = try #require(messages[1]["content"] as? [[String: Any]])
        #expect(uses.map { $0["type"] as? String } == ["text", "tool_use", "tool_use"])
        #expect((uses[1]["input"] as? [String: Any])?["path"] as? String == "a.txt")
        let results = try #require(messages[2]["content"] as? [[String: Any]])
        #expect(results.map { $0["tool_use_id"] as? String } == ["call_a", "call_b"])
        #expect(results[1]["is_error"] as? Bool == true)
        #expect((body["tools"] as? [[String: Any]])?.first?["input_schema"] != nil)
    }

    @Test func geminiBody() throws {
        let fixtures = try BackendFixtures()
        defer { fixtures.remove() }
        let http = GeminiFormat(endpoint: endpoint).httpRequest(for: request(fixtures))
        #expect(http.url == "https://example.test/v1/models/test-model:streamGenerateContent?alt=sse")
        #expect(http.headers.contains(HTTPHeader("x-goog-api-key", "sk-test-secret-1234", isSecret: true)))
        let body = try bodyObject(http.body)
        let system = try #require(body["systemInstruction"] as? [String: Any])
        #expect(((system["parts"] as? [[String: Any]])?.first?["text"] as? String) == "You are terse.")
        #expect((body["generationConfig"] as? [String: Any])?["maxOutputTokens"] as? Int == 100)
        let contents = try #require(body["contents"] as? [[String: Any]])
        #expect(contents.map { $0["role"] as? String } == ["user", "model", "user"])
        let parts = try #require(contents[0]["parts"] as? [[String: Any]])
        let inline = parts.compactMap { $0["inline_data"] as? [String: Any] }
        #expect(
            inline.map { $0["mime_type"] as? String } == [
                "image/png", "audio/wav", "video/mp4", "application/pdf",
            ])
        #expect(inline[1]["data"] as? String == fixtures.audioBytes.base64EncodedString())
        let calls = try #require(contents[1]["parts"] as? [[String: Any]]).compactMap {
            $0["functionCall"] as? [String: Any]
        }
        #expect(calls.map { $0["name"] as? String } == ["read_file", "list_files"])
        let responses = try #require(contents[2]["parts"] as? [[String: Any]]).compactMap {
            $0["functionResponse"] as? [String: Any]
        }
        #expect(responses.count == 2)
        #expect((responses[0]["response"] as? [String: Any])?["content"] as? String == "alpha")
        #expect((responses[1]["response"] as? [String: Any])?["error"] as? String == "a.txt")
    }

    @Test func stringsAreEscapedAsJSON() throws {
        let text = "quote \" backslash \\ newline \n tab \t bell \u{7} emoji 🎉"
        let parts = WireJSON.object([("t", .string(text))]).bodyParts()
        let body = try bodyObject(parts)
        #expect(body["t"] as? String == text)
    }
}
