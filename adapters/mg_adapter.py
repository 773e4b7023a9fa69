# mg's stdio adapter protocol, the Python side (docs/external-agents.md).
# mg writes one JSON object per line to the adapter's stdin and reads one per line from its
# stdout: a "start" message first (prompt, tools, model, base_url), then a "tool_result" for
# every "tool_call" the adapter sends. The framework's own printing goes to stderr, so stdout
# carries only protocol lines.
import json
import os
import sys


class Channel:
    def __init__(self):
        self._out = os.fdopen(os.dup(1), "w", buffering=1)
        sys.stdout = sys.stderr
        self._next = 0
        self.done = False

    def start(self):
        line = sys.stdin.readline()
        if not line:
            raise SystemExit("mg adapter: no start message on stdin")
        message = json.loads(line)
        if message.get("type") != "start":
            raise SystemExit("mg adapter: the first message must be a start message")
        return message

    def send(self, message):
        self._out.write(json.dumps(message) + "\n")
        self._out.flush()

    def log(self, text):
        if text:
            self.send({"type": "log", "text": text})

    def usage(self, input_tokens, output_tokens, cost_usd=None):
        message = {"type": "usage", "input_tokens": int(input_tokens or 0), "output_tokens": int(output_tokens or 0)}
        if cost_usd is not None:
            message["cost_usd"] = float(cost_usd)
        self.send(message)

    def call(self, name, arguments):
        # Sends one tool call and waits for its result; a successful new_answer or vote is terminal.
        self._next += 1
        call_id = str(self._next)
        self.send({"type": "tool_call", "id": call_id, "name": name, "arguments": arguments or {}})
        while True:
            line = sys.stdin.readline()
            if not line:
                raise EOFError("mg closed the adapter channel")
            message = json.loads(line)
            if message.get("type") == "error":
                raise RuntimeError(message.get("message", "mg refused the call"))
            if message.get("type") == "tool_result" and message.get("id") == call_id:
                if message.get("terminal"):
                    self.done = True
                return message


def openai_tools(start):
    return [
        {"type": "function", "function": {"name": t["name"], "description": t["description"], "parameters": t["parameters"]}}
        for t in start["tools"]
    ]


def api_key():
    return os.environ.get("OPENAI_API_KEY") or "not-needed"
