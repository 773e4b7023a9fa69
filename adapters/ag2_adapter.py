# mg adapter: an AG2 assistant with mg's tools (its executor runs them through mg), driven
# through an OpenAI-compatible base_url. The chat ends once new_answer or vote is accepted.
import sys

from autogen import ConversableAgent

from mg_adapter import Channel, api_key, openai_tools


def main():
    channel = Channel()
    start = channel.start()
    config = {"model": start["model"], "api_key": api_key(), "api_type": "openai"}
    if start.get("base_url"):
        config["base_url"] = start["base_url"]
    system = "You are a coding agent. Use the tools to read and change files in your worktree."
    if start.get("system_prompt"):
        system += "\n\n" + start["system_prompt"]
    finished = lambda message: channel.done
    assistant = ConversableAgent(
        "mg_agent", system_message=system, llm_config={"config_list": [config], "temperature": 0},
        human_input_mode="NEVER", is_termination_msg=finished)
    executor = ConversableAgent(
        "mg_tools", llm_config=False, human_input_mode="NEVER", is_termination_msg=finished,
        default_auto_reply="Call a tool. Finish with new_answer (your change) or vote.")

    def forward(name):
        def run(**arguments):
            return channel.call(name, arguments)["text"]
        return run

    for tool in openai_tools(start):
        assistant.update_tool_signature(tool, is_remove=False)
        executor.register_function({tool["function"]["name"]: forward(tool["function"]["name"])})
    executor.initiate_chat(assistant, message=start["prompt"], max_turns=int(start.get("max_steps", 30)))
    for summary in (assistant.client.total_usage_summary or {}).values() if assistant.client else []:
        if isinstance(summary, dict):
            channel.usage(summary.get("prompt_tokens", 0), summary.get("completion_tokens", 0), summary.get("cost"))
    if not channel.done:
        sys.stderr.write("ag2 adapter: the chat ended without new_answer or vote\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
