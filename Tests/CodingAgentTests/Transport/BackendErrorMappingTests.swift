import Foundation
import Testing

@testable import CodingAgent

@Suite struct BackendErrorMappingTests {
    @Test func unauthorizedNamesTheKeyVariable() {
        let body = #"{"error":{"message":"Incorrect API key provided: sk-abc***","type":"invalid_request_error"}}"#
        let error = BackendError.fromHTTP(status: 401, body: body, provider: "OpenAI", keyVariable: "OPENAI_API_KEY")
        #expect(
            error
                == .unauthorized(
                    provider: "OpenAI", status: 401, message: "Incorrect API key provided: sk-abc***",
                    keyVariable: "OPENAI_API_KEY"))
        #expect(error.description.contains("Check OPENAI_API_KEY"))
    }

    @Test func readsAnthropicAndGeminiShapes() {
        let anthropic = #"{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: field required"}}"#
        #expect(
            BackendError.fromHTTP(status: 400, body: anthropic, provider: "Anthropic", keyVariable: "ANTHROPIC_API_KEY")
                == .badRequest(provider: "Anthropic", status: 400, message: "max_tokens: field required"))
        let gemini = #"[{"error":{"code":403,"message":"Method doesn't allow unregistered callers.","status":"PERMISSION_DENIED"}}]"#
        #expect(
            BackendError.fromHTTP(status: 403, body: gemini, provider: "Gemini", keyVariable: "GEMINI_API_KEY")
                == .unauthorized(
                    provider: "Gemini", status: 403, message: "Method doesn't allow unregistered callers.",
                    keyVariable: "GEMINI_API_KEY"))
    }

    @Test func readsCompatibleServerShapesAndPlainText() {
        #expect(
            BackendError.fromHTTP(status: 404, body: #"{"error":"model 'llama9' not found"}"#, provider: "Ollama", keyVariable: nil)
                == .badRequest(provider: "Ollama", status: 404, message: "model 'llama9' not found"))
        #expect(
            BackendError.fromHTTP(status: 422, body: #"{"detail":"bad field"}"#, provider: "vLLM", keyVariable: nil)
                == .badRequest(provider: "vLLM", status: 422, message: "bad field"))
        #expect(
            BackendError.fromHTTP(status: 502, body: "<html>\nBad Gateway\n</html>", provider: "P", keyVariable: nil)
                == .serverError(provider: "P", status: 502, message: "<html> Bad Gateway </html>"))
        #expect(
            BackendError.fromHTTP(status: 500, body: "", provider: "P", keyVariable: nil)
                == .serverError(provider: "P", status: 500, message: "HTTP 500 with no message"))
    }

    @Test func rateLimitsAndQuotaBecomeQuotaExceeded() {
        let quota = #"{"error":{"message":"You exceeded your current quota, please check your plan and billing details.","type":"insufficient_quota"}}"#
        let error = BackendError.fromHTTP(status: 429, body: quota, provider: "OpenAI", keyVariable: "OPENAI_API_KEY")
        guard case .quotaExceeded(_, let message) = error else {
            Issue.record("expected quotaExceeded, got \(error)")
            return
        }
        #expect(message.contains("billing"))
        #expect(!HTTPStatusError(status: 429, body: quota).isRetryable)
        #expect(HTTPStatusError(status: 429, body: #"{"error":{"message":"Rate limit reached"}}"#).isRetryable)
    }

    @Test func mapsTransportErrors() {
        #expect(BackendError.fromTransport(.cancelled, provider: "P") == .cancelled)
        #expect(BackendError.fromTransport(.truncatedResponse(host: "h", message: "m"), provider: "P") == .truncatedStream(provider: "P"))
        guard case .timeout = BackendError.fromTransport(.timedOut(.idle, host: "h", message: "m"), provider: "P") else {
            Issue.record("idle timeout should map to .timeout")
            return
        }
    }
}
