# mg adapter: a LangChain chat model (langchain-openai) with mg's tools, driven through an
# OpenAI-compatible base_url. Tool calls go to mg; the run ends with new_answer or vote.
import sys

from langchain_core.messages import HumanMessage, SystemMessage, ToolMessage
from langchain_openai import ChatOpenAI

from mg_adapter import Channel, api_key, openai_tools


def main():
    channel = Channel()
    start = channel.start()
    llm = ChatOpenAI(model=start["model"], base_url=start.get("base_url"), api_key=api_key(), temperature=0)
    model = llm.bind_tools(openai_tools(start))
    system = "You are a coding agent. Use the tools to read and change files in your worktree."
    if start.get("system_prompt"):
        system += "\n\n" + start["system_prompt"]
    messages = [SystemMessage(system), HumanMessage(start["prompt"])]
    for _ in range(int(start.get("max_steps", 30))):
        reply = model.invoke(messages)
        usage = reply.usage_metadata or {}
        channel.usage(usage.get("input_tokens", 0), usage.get("output_tokens", 0))
        messages.append(reply)
        if isinstance(reply.content, str) and reply.content:
            channel.log(reply.content)
        if not reply.tool_calls:
            messages.append(HumanMessage("Call a tool. Finish with new_answer (your change) or vote."))
            continue
        for call in reply.tool_calls:
            result = channel.call(call["name"], call["args"])
            messages.append(ToolMessage(content=result["text"], tool_call_id=call["id"]))
            if channel.done:
                return 0
    sys.stderr.write("langchain adapter: step limit reached without new_answer or vote\n")
    return 1


if __name__ == "__main__":
    sys.exit(main())
