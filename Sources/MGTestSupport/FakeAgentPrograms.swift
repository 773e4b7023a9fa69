import Foundation

/// Scripted stand-ins for the Claude Code and Codex CLIs, speaking their documented output
/// formats (`claude -p --output-format stream-json --verbose`: `system`/`assistant`/`user`/
/// `result` lines with `usage` and `total_cost_usd`; `codex exec --json`: `thread.started`,
/// `item.*`, `turn.completed` with `usage`), so mg's CLI-agent path is tested without the
/// vendors' binaries and accounts.
///
/// Both read the prompt from stdin. With no answer of their own in it they edit `calc.sh`
/// (`FAKE_OLD` → `FAKE_NEW`, default `$1 - $2` → `$1 + $2`) and finish; once they have answered
/// they vote for `FAKE_VOTE` (default agent1) with a final JSON line. The Claude fake, given
/// `FAKE_USE_MCP=1` and run by the peers' Python, answers and votes through the MCP server in
/// its `--mcp-config` instead (the real Python MCP client SDK talking to `mg mcp`).
public enum FakeAgentPrograms {
    static let common = #"""
        import json, os, re, sys

        def emit(obj):
            sys.stdout.write(json.dumps(obj) + "\n")
            sys.stdout.flush()

        def decide(prompt):
            if "You have not given an answer yet" in prompt:
                return ("answer", None)
            return ("vote", os.environ.get("FAKE_VOTE", "agent1"))

        def edit():
            old = os.environ.get("FAKE_OLD", "$1 - $2")
            new = os.environ.get("FAKE_NEW", "$1 + $2")
            with open("calc.sh") as handle:
                text = handle.read()
            with open("calc.sh", "w") as handle:
                handle.write(text.replace(old, new))
            return old, new

        """#

    static let claude = common + #"""
        args = sys.argv[1:]
        for flag in ["-p", "--verbose"]:
            if flag not in args:
                sys.stderr.write("fake claude: missing " + flag + "\n"); sys.exit(2)
        if args[args.index("--output-format") + 1] != "stream-json":
            sys.stderr.write("fake claude: expected stream-json\n"); sys.exit(2)
        prompt = sys.stdin.read()
        log = os.environ.get("FAKE_LOG")
        if log:
            with open(log, "a") as handle:
                handle.write(json.dumps({"args": args, "cwd": os.getcwd(), "prompt": prompt}) + "\n")
        emit({"type": "system", "subtype": "init", "cwd": os.getcwd(), "session_id": "s1", "model": "claude-fake", "tools": ["Edit", "Bash"]})
        kind, target = decide(prompt)

        def mcp_call(name, arguments):
            import asyncio
            from mcp import ClientSession
            from mcp.client.stdio import StdioServerParameters, stdio_client
            config = json.loads(args[args.index("--mcp-config") + 1])["mcpServers"]["mg"]
            async def run():
                params = StdioServerParameters(command=config["command"], args=config["args"], env={**os.environ, **config.get("env", {})})
                async with stdio_client(params) as (read, write):
                    async with ClientSession(read, write) as session:
                        await session.initialize()
                        tools = [tool.name for tool in (await session.list_tools()).tools]
                        if sorted(tools) != ["adopt_answer", "list_answers", "new_answer", "view_answer", "vote"]:
                            sys.stderr.write("fake claude: unexpected mg tools " + repr(tools) + "\n"); sys.exit(5)
                        emit({"type": "assistant", "message": {"content": [{"type": "tool_use", "id": "m1", "name": "mcp__mg__" + name, "input": arguments}]}})
                        result = await session.call_tool(name, arguments)
                        text = "".join(part.text for part in result.content if getattr(part, "text", None))
                        emit({"type": "user", "message": {"content": [{"type": "tool_result", "tool_use_id": "m1", "content": text, "is_error": bool(getattr(result, "is_error", False))}]}})
                        return tools, text
            return asyncio.run(run())

        use_mcp = os.environ.get("FAKE_USE_MCP") == "1" and "--mcp-config" in args
        if kind == "answer":
            emit({"type": "assistant", "message": {"content": [{"type": "text", "text": "I will fix add()."}, {"type": "tool_use", "id": "t1", "name": "Edit", "input": {"file_path": "calc.sh"}}]}})
            old, new = edit()
            emit({"type": "user", "message": {"content": [{"type": "tool_result", "tool_use_id": "t1", "content": "edited calc.sh"}]}})
            summary = "Fixed add() in calc.sh: " + old + " became " + new + "."
            if use_mcp:
                tools, text = mcp_call("new_answer", {"content": summary})
                summary = "Answered through mg's MCP server (tools: " + ", ".join(sorted(tools)) + "): " + text
        else:
            summary = "The answer of " + target + " is right."
            if use_mcp:
                tools, text = mcp_call("vote", {"agent_id": target, "reason": "its tests pass"})
                summary = "Voted through mg's MCP server: " + text
            else:
                summary += "\n" + json.dumps({"mg": "vote", "agent_id": target, "reason": "its tests pass"})
        emit({"type": "assistant", "message": {"content": [{"type": "text", "text": summary}]}})
        emit({"type": "result", "subtype": "success", "is_error": False, "result": summary, "num_turns": 2,
              "total_cost_usd": 0.0123, "usage": {"input_tokens": 1200, "output_tokens": 80, "cache_read_input_tokens": 300}})

        """#

    static let codex = common + #"""
        args = sys.argv[1:]
        if args[:2] != ["exec", "--json"] or args[-1] != "-":
            sys.stderr.write("fake codex: expected `exec --json … -`\n"); sys.exit(2)
        prompt = sys.stdin.read()
        emit({"type": "thread.started", "thread_id": "th_1"})
        emit({"type": "turn.started"})
        kind, target = decide(prompt)
        if kind == "answer":
            emit({"type": "item.started", "item": {"id": "i1", "type": "command_execution", "command": "sh test.sh", "status": "in_progress"}})
            emit({"type": "item.completed", "item": {"id": "i1", "type": "command_execution", "command": "sh test.sh", "aggregated_output": "not ok 1 - add", "exit_code": 1, "status": "completed"}})
            edit()
            emit({"type": "item.completed", "item": {"id": "i2", "type": "file_change", "changes": [{"path": "calc.sh", "kind": "update"}], "status": "completed"}})
            text = "Changed calc.sh so add() adds."
        else:
            text = "Voting.\n" + json.dumps({"mg": "vote", "agent_id": target, "reason": "tests pass there"})
        emit({"type": "item.completed", "item": {"id": "i3", "type": "agent_message", "text": text}})
        emit({"type": "turn.completed", "usage": {"input_tokens": 900, "cached_input_tokens": 100, "output_tokens": 60}})

        """#

    /// Writes the Claude Code stand-in (run by `python`) as an executable named `claude` in a
    /// new folder, and returns its path.
    public static func claude(python: String = "/usr/bin/env python3") throws -> String {
        try install("claude", source: claude, python: python)
    }

    /// Writes the Codex stand-in as an executable named `codex`; returns its path.
    public static func codex(python: String = "/usr/bin/env python3") throws -> String {
        try install("codex", source: codex, python: python)
    }

    private static func install(_ name: String, source: String, python: String) throws -> String {
        let folder = NSTemporaryDirectory() + "mg-fake-\(name)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let script = folder + "/\(name).py"
        try source.write(toFile: script, atomically: true, encoding: .utf8)
        let program = folder + "/" + name
        try "#!/bin/sh\nexec \(python) \(script) \"$@\"\n".write(toFile: program, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: program)
        return program
    }
}
