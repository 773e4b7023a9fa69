/// MassGen v0.0.26 example-style configs, one per shape (modelled on massgen/configs/*.yaml).
enum MassGenConfigFixtures {
    static let singleAgent = """
        # single agent, MassGen's `agent:` form
        agent:
          id: "gpt5"
          backend:
            type: "openai"
            model: "gpt-5-nano"
            text:
              verbosity: "medium"
            reasoning:
              effort: "medium"
              summary: "auto"
            enable_web_search: true
          system_message: "You are a careful engineer."
        ui:
          display_type: "rich_terminal"
          logging_enabled: true
        """

    static let threeAgents = """
        agents:
          - id: "gemini2.5flash"
            backend:
              type: "gemini"
              model: "gemini-2.5-flash"
              enable_web_search: true
          - id: "4omini"
            backend:
              type: "openai"
              model: "gpt-4o-mini"
              enable_web_search: true
              enable_code_interpreter: true
          - id: "claude"
            backend:
              model: "claude-3-5-haiku-latest"
              temperature: 0.3
              max_tokens: 4096
        ui:
          display_type: "rich_terminal"
        """

    static let timeoutSettings = """
        timeout_settings:
          orchestrator_timeout_seconds: 45
          initial_round_timeout_seconds: 30
        agents:
          - id: "fast-gpt-5-1"
            backend:
              type: "openai"
              model: "gpt-5"
              reasoning:
                effort: "high"
        """

    static let contextPaths = """
        agents:
          - id: "coder"
            backend:
              type: "claude"
              model: "claude-sonnet-4-20250514"
              cwd: "workspace1"
        orchestrator:
          snapshot_storage: "snapshots"
          agent_temporary_workspace: "temp_workspaces"
          context_paths:
            - path: "${cwd}/site"
              permission: "write"
              protected_paths:
                - "config.json"
                - "template.html"
          test_command: "swift test"
          merge_mode: "apply"
          max_new_answers_per_agent: 2
          voting_sensitivity: "strict"
          max_cost_usd: 1.5
        """

    static let mcpListForm = """
        agents:
          - id: "gemini_mcp_weather"
            backend:
              type: "gemini"
              model: "gemini-2.5-flash"
              mcp_servers:
                - name: "weather"
                  type: "stdio"
                  command: "npx"
                  args: ["-y", "@fak111/weather-mcp"]
            system_message: "Use the weather tools."
        """

    static let mcpDictForm = """
        agents:
          - id: "claude_mcp"
            backend:
              type: "claude"
              model: "claude-sonnet-4-20250514"
              allowed_tools: ["read_file", "edit_file", "run_command"]
              mcp_servers:
                discord:
                  type: "stdio"
                  command: "npx"
                  args: ["-y", "mcp-discord", "--config", "${DISCORD_TOKEN}"]
        """

    static let vllmAndSglang = """
        agents:
          - id: "qwen1"
            backend:
              type: "vllm"
              model: "Qwen/Qwen3-4B"
              base_url: "http://localhost:8000/v1"
              chat_template_kwargs:
                enable_thinking: True
              top_k: 50
          - id: "qwen2"
            backend:
              type: "sglang"
              model: "Qwen/Qwen3-4B"
              base_url: "http://localhost:30000/v1"
              extra_body:
                chat_template_kwargs:
                  enable_thinking: True
        ui:
          display_type: "rich_terminal"
          logging_enabled: true
        """

    static let azure = """
        agents:
          - id: "azure_gpt4"
            backend:
              type: "azure_openai"
              model: "gpt-4.1"
              base_url: "https://example.openai.azure.com/"
              api_version: "2024-02-15-preview"
              enable_web_search: false
              enable_code_interpreter: false
            system_message: "You are an expert AI assistant powered by Azure OpenAI."
        """
}
