import Foundation

/// OpenAI Chat Completions and every OpenAI-compatible server (Ollama, vLLM, llama.cpp, LM Studio,
/// SGLang, OpenRouter, xAI, Z.ai, Azure OpenAI).
public typealias OpenAIChatBackend = StreamingBackend<OpenAIChatFormat>
/// OpenAI Responses API (MassGen's `openai` type).
public typealias OpenAIResponsesBackend = StreamingBackend<OpenAIResponsesFormat>
/// Anthropic Messages (MassGen's `claude` type).
public typealias AnthropicBackend = StreamingBackend<AnthropicFormat>
/// Gemini `streamGenerateContent` (MassGen's `gemini` type).
public typealias GeminiBackend = StreamingBackend<GeminiFormat>
