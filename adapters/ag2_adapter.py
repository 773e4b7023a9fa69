# mg adapter: an AG2 agent (ag2 >= 1.0: ag2.Agent with an OpenAIConfig) given mg's tools, driven
# through an OpenAI-compatible base_url. Each tool forwards its call to mg; the run ends when the
# model stops calling tools (after new_answer or vote) or the step limit passes.
import asyncio
import sys

from ag2 import Agent, tool
from ag2.config.openai import OpenAIConfig

from mg_adapter import Channel, api_key


def forward(channel, name):
    def run(**arguments):
        # ag2 also passes its own context (keys starting with "__"); mg gets the model's arguments.
        given = {key: value for key, value in arguments.items() if not key.startswith("__")}
        return channel.call(name, given)["text"]
    return run


async def main():
    channel = Channel()
    start = channel.start()
    config = OpenAIConfig(model=start["model"], base_url=start.get("base_url"), api_key=api_key(), temperature=0)
    system = "You are a coding agent. Use the tools to read and change files in your worktree."
    if start.get("system_prompt"):
        system += "\n\n" + start["system_prompt"]
    tools = [
        tool(forward(channel, t["name"]), name=t["name"], description=t["description"], schema=t["parameters"])
        for t in start["tools"]
    ]
    agent = Agent("mg_agent", system, config=config, tools=tools)
    reply = await agent.ask(start["prompt"])
    counted = 0
    for _ in range(int(start.get("max_steps", 30))):
        report = await reply.usage()
        records = report.records[counted:]
        counted = len(report.records)
        channel.usage(
            sum(r.usage.prompt_tokens or 0 for r in records), sum(r.usage.completion_tokens or 0 for r in records))
        channel.log(reply.body or "")
        if channel.done:
            return 0
        reply = await reply.ask("Call a tool. Finish with new_answer (your change) or vote.")
    sys.stderr.write("ag2 adapter: the agent stopped without new_answer or vote\n")
    return 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
