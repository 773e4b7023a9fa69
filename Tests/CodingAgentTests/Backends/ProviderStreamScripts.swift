import Foundation
import MGTestSupport

@testable import CodingAgent

/// A planned tool call for a scripted stream.
struct PlannedCall {
    var id: String
    var name: String
    var arguments: String
}

/// Token counts a scripted stream reports.
struct PlannedUsage {
    var input = 120
    var output = 30
    var cached = 20
}

/// Each provider's streaming format as its documentation describes it, for the scripted servers.
enum ProviderDialect: String, CaseIterable, Sendable {
    case chat, responses, anthropic, gemini

    /// The events of one streamed turn: text pieces, then tool calls whose arguments are cut into
    /// `fragmentSize`-character pieces (interleaved across calls where the format allows it),
    /// then usage and the terminal signal unless `terminal` is false.
    func frames(
        text: [String] = [], calls: [PlannedCall] = [], fragmentSize: Int = 4,
        usage: PlannedUsage = PlannedUsage(),
        terminal: Bool = true
    ) -> [SSEFrame] {
        let fragments = calls.map { Self.cut($0.arguments, fragmentSize) }
        switch self {
        case .chat: return chatFrames(text, calls, fragments, usage, terminal)
        case .responses: return responsesFrames(text, calls, fragments, usage, terminal)
        case .anthropic: return anthropicFrames(text, calls, fragments, usage, terminal)
        case .gemini: return geminiFrames(text, calls, usage, terminal)
        }
    }

    static func cut(_ text: String, _ size: Int) -> [String] {
        var pieces: [String] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            pieces.append(String(rest.prefix(size)))
            rest = rest.dropFirst(size)
        }
        return pieces
    }

    static func json(_ value: Any) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    private func chatFrames(
        _ text: [String], _ calls: [PlannedCall], _ fragments: [[String]], _ usage: PlannedUsage,
        _ terminal: Bool
    ) -> [SSEFrame] {
        func chunk(_ delta: [String: Any], finish: String? = nil) -> SSEFrame {
            var choice: [String: Any] = ["index": 0, "delta": delta]
            choice["finish_reason"] = finish ?? NSNull()
            return SSEFrame(
                data: Self.json(["id": "chatcmpl-1", "object": "chat.completion.chunk", "choices": [choice]]))
        }
        var frames = [chunk(["role": "assistant", "content": ""])]
        frames += text.map { chunk(["content": $0]) }
        for (index, call) in calls.enumerated() {
            frames.append(
                chunk([
                    "tool_calls": [
                        [
                            "index": index, "id": call.id, "type": "function",
                            "function": ["name": call.name, "arguments": ""],
                        ]
                    ]
                ]))
        }
        // Interleave argument fragments across the parallel calls, by index.
        let longest = fragments.map(\.count).max() ?? 0
        for step in 0..<longest {
            for (index, pieces) in fragments.enumerated() where step < pieces.count {
                frames.append(
                    chunk(["tool_calls": [["index": index, "function": ["arguments": pieces[step]]]]]))
            }
        }
        guard terminal else { return frames }
        frames.append(chunk([:], finish: calls.isEmpty ? "stop" : "tool_calls"))
        frames.append(
            SSEFrame(
                data: Self.json([
                    "id": "chatcmpl-1", "choices": [] as [Any],
                    "usage": [
                        "prompt_tokens": usage.input, "completion_tokens": usage.output,
                        "prompt_tokens_details": ["cached_tokens": usage.cached],
                    ],
                ])))
        frames.append(SSEFrame(data: "[DONE]"))
        return frames
    }

    private func responsesFrames(
        _ text: [String], _ calls: [PlannedCall], _ fragments: [[String]], _ usage: PlannedUsage,
        _ terminal: Bool
    ) -> [SSEFrame] {
        func event(_ type: String, _ fields: [String: Any]) -> SSEFrame {
            var payload = fields
            payload["type"] = type
            return SSEFrame(event: type, data: Self.json(payload))
        }
        var frames = [event("response.created", ["response": ["id": "resp_1", "status": "in_progress"]])]
        if !text.isEmpty {
            frames.append(
                event(
                    "response.output_item.added",
                    [
                        "output_index": 0,
                        "item": [
                            "type": "message", "id": "msg_1", "role": "assistant", "content": [] as [Any],
                        ],
                    ]))
            frames += text.map {
                event(
                    "response.output_text.delta",
                    ["output_index": 0, "item_id": "msg_1", "content_index": 0, "delta": $0])
            }
            frames.append(
                event(
                    "response.output_item.done",
                    ["output_index": 0, "item": ["type": "message", "id": "msg_1"]]))
        }
        let base = text.isEmpty ? 0 : 1
        for (offset, call) in calls.enumerated() {
            frames.append(
                event(
                    "response.output_item.added",
                    [
                        "output_index": base + offset,
                        "item": [
                            "type": "function_call", "id": "fc_\(offset)", "call_id": call.id,
                            "name": call.name, "arguments": "",
                        ],
                    ]))
        }
        let longest = fragments.map(\.count).max() ?? 0
        for step in 0..<longest {
            for (offset, pieces) in fragments.enumerated() where step < pieces.count {
                frames.append(
                    event(
                        "response.function_call_arguments.delta",
                        [
                            "output_index": base + offset, "item_id": "fc_\(offset)", "delta": pieces[step],
                        ]))
            }
        }
        for (offset, call) in calls.enumerated() {
            frames.append(
                event(
                    "response.output_item.done",
                    [
                        "output_index": base + offset,
                        "item": [
                            "type": "function_call", "id": "fc_\(offset)", "call_id": call.id,
                            "name": call.name, "arguments": call.arguments,
                        ],
                    ]))
        }
        guard terminal else { return frames }
        frames.append(
            event(
                "response.completed",
                [
                    "response": [
                        "id": "resp_1", "status": "completed",
                        "usage": [
                            "input_tokens": usage.input, "output_tokens": usage.output,
                            "input_tokens_details": ["cached_tokens": usage.cached],
                        ],
                    ]
                ]))
        return frames
    }

    private func anthropicFrames(
        _ text: [String], _ calls: [PlannedCall], _ fragments: [[String]], _ usage: PlannedUsage,
        _ terminal: Bool
    ) -> [SSEFrame] {
        func event(_ type: String, _ fields: [String: Any]) -> SSEFrame {
            var payload = fields
            payload["type"] = type
            return SSEFrame(event: type, data: Self.json(payload))
        }
        var frames = [
            event(
                "message_start",
                [
                    "message": [
                        "id": "msg_1", "role": "assistant", "content": [] as [Any],
                        "usage": [
                            "input_tokens": usage.input - usage.cached,
                            "cache_read_input_tokens": usage.cached, "output_tokens": 1,
                        ],
                    ]
                ])
        ]
        frames.append(event("ping", [:]))
        var block = 0
        if !text.isEmpty {
            frames.append(
                event(
                    "content_block_start", ["index": block, "content_block": ["type": "text", "text": ""]]))
            frames += text.map {
                event("content_block_delta", ["index": block, "delta": ["type": "text_delta", "text": $0]])
            }
            frames.append(event("content_block_stop", ["index": block]))
            block += 1
        }
        // Anthropic streams one content block at a time, so parallel calls come one after another.
        for (offset, call) in calls.enumerated() {
            frames.append(
                event(
                    "content_block_start",
                    [
                        "index": block,
                        "content_block": [
                            "type": "tool_use", "id": call.id, "name": call.name,
                            "input": [:] as [String: Any],
                        ],
                    ]))
            frames += fragments[offset].map {
                event(
                    "content_block_delta",
                    ["index": block, "delta": ["type": "input_json_delta", "partial_json": $0]])
            }
            frames.append(event("content_block_stop", ["index": block]))
            block += 1
        }
        guard terminal else { return frames }
        frames.append(
            event(
                "message_delta",
                [
                    "delta": ["stop_reason": calls.isEmpty ? "end_turn" : "tool_use"],
                    "usage": ["output_tokens": usage.output],
                ]))
        frames.append(event("message_stop", [:]))
        return frames
    }

    private func geminiFrames(
        _ text: [String], _ calls: [PlannedCall], _ usage: PlannedUsage, _ terminal: Bool
    ) -> [SSEFrame] {
        func chunk(_ parts: [[String: Any]], finish: Bool) -> SSEFrame {
            var candidate: [String: Any] = ["content": ["role": "model", "parts": parts], "index": 0]
            var payload: [String: Any] = ["modelVersion": "gemini-test"]
            if finish {
                candidate["finishReason"] = "STOP"
                payload["usageMetadata"] = [
                    "promptTokenCount": usage.input, "candidatesTokenCount": usage.output,
                    "cachedContentTokenCount": usage.cached, "totalTokenCount": usage.input + usage.output,
                ]
            }
            payload["candidates"] = [candidate]
            return SSEFrame(data: Self.json(payload))
        }
        var frames = text.map { chunk([["text": $0]], finish: false) }
        let callParts: [[String: Any]] = calls.map { call in
            let args =
                (try? JSONSerialization.jsonObject(with: Data(call.arguments.utf8))) ?? [:] as [String: Any]
            return ["functionCall": ["name": call.name, "args": args]]
        }
        if !callParts.isEmpty { frames.append(chunk(callParts, finish: false)) }
        if terminal { frames.append(chunk([], finish: true)) }
        return frames
    }
}

extension SSEFrame {
    /// The client-side event for this frame.
    var clientEvent: SSEEvent { SSEEvent(event: event, data: data, id: id) }
}
