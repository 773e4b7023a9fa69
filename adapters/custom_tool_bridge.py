# mg's bridge to MassGen custom tools: loads a Python function from a file (or MassGen's installed
# package), describes it as a JSON schema, or calls it with the model's arguments. mg runs it as
#   python3 -c BRIDGE describe SPECS_JSON
#   python3 -c BRIDGE call SPEC_JSON ARGUMENTS_JSON
# in the agent's worktree, inside the same sandbox as run_command. The result is the last line of
# stdout, after MARKER; everything the function prints goes to stderr and is shown as its output.
import asyncio
import importlib.util
import inspect
import json
import os
import sys
import traceback
import types
import typing

MARKER = "\x1emg-custom-tool-result "


class ToolProblem(Exception):
    """A problem with the tool itself (file, function, schema), not with one call."""


def install_massgen_shim(installed):
    """MassGen's tools import massgen.tool._result; without MassGen installed, provide its result types."""
    if installed is not None:
        return

    class ContentBlock:
        def __init__(self, block_type, data):
            self.block_type = block_type
            self.data = data

    class TextContent(ContentBlock):
        def __init__(self, data):
            super().__init__("text", data)

    class ImageContent(ContentBlock):
        def __init__(self, data):
            super().__init__("image", data)

    class AudioContent(ContentBlock):
        def __init__(self, data):
            super().__init__("audio", data)

    class ExecutionResult:
        def __init__(self, output_blocks, meta_info=None, is_streaming=False, is_final=True, is_log=False,
                     was_interrupted=False, result_id=""):
            self.output_blocks = output_blocks
            self.meta_info = meta_info
            self.is_streaming = is_streaming
            self.is_final = is_final
            self.is_log = is_log
            self.was_interrupted = was_interrupted

    def context_params(*names):
        def mark(function):
            function.__context_params__ = set(names)
            return function
        return mark

    package = types.ModuleType("massgen")
    package.__path__ = []
    tool = types.ModuleType("massgen.tool")
    tool.__path__ = []
    result = types.ModuleType("massgen.tool._result")
    decorators = types.ModuleType("massgen.tool._decorators")
    for module in (tool, result):
        for name, value in [("ExecutionResult", ExecutionResult), ("TextContent", TextContent),
                            ("ImageContent", ImageContent), ("AudioContent", AudioContent)]:
            setattr(module, name, value)
    decorators.context_params = context_params
    tool.context_params = context_params
    package.tool = tool
    sys.modules.update({"massgen": package, "massgen.tool": tool, "massgen.tool._result": result,
                        "massgen.tool._decorators": decorators})


def load_function(spec, installed):
    function_name = spec["function"]
    path = spec.get("path")
    package_path = spec.get("package_path")
    if path is None and package_path is not None:
        found = installed
        if found is None or found.origin is None:
            raise ToolProblem(
                f"{package_path} is not in the repository or next to the config, and the massgen Python package "
                "is not installed for python3 (pip install massgen), so MassGen's own tool file cannot be found")
        root = os.path.dirname(os.path.dirname(found.origin))
        path = os.path.join(root, package_path)
        if not os.path.isfile(path):
            raise ToolProblem(f"{package_path} is not in the installed massgen package ({root})")
    if path is None:
        try:
            if installed is None:
                raise ImportError("massgen")
            import massgen.tool as builtin
        except ImportError:
            raise ToolProblem(
                f"no `path` is given, so `{function_name}` must be one of MassGen's built-in tools, "
                "and the massgen Python package is not installed for python3 (pip install massgen)")
        if not hasattr(builtin, function_name):
            raise ToolProblem(f"no `path` is given, and MassGen has no built-in tool `{function_name}`")
        return getattr(builtin, function_name)
    if not os.path.isfile(path):
        raise ToolProblem(f"the file {path} does not exist")
    folder = os.path.dirname(os.path.abspath(path))
    if folder not in sys.path:
        sys.path.insert(0, folder)
    module_name = "mg_custom_tool_" + os.path.splitext(os.path.basename(path))[0]
    loader_spec = importlib.util.spec_from_file_location(module_name, path)
    if loader_spec is None or loader_spec.loader is None:
        raise ToolProblem(f"{path} cannot be loaded as a Python module")
    module = importlib.util.module_from_spec(loader_spec)
    sys.modules[module_name] = module
    try:
        loader_spec.loader.exec_module(module)
    except Exception as error:
        raise ToolProblem(f"importing {path} failed: {type(error).__name__}: {error}")
    function = getattr(module, function_name, None)
    if function is None or not callable(function):
        names = sorted(n for n, v in vars(module).items() if callable(v) and not n.startswith("_")
                       and getattr(v, "__module__", None) == module_name)
        raise ToolProblem(f"{path} has no function `{function_name}` (it defines: {', '.join(names) or 'none'})")
    return function


def json_type(annotation):
    """The JSON schema of a Python annotation (the common cases; anything else is unconstrained)."""
    if annotation is inspect.Parameter.empty or annotation is typing.Any:
        return {}
    origin = typing.get_origin(annotation)
    arguments = typing.get_args(annotation)
    if origin is typing.Union or (origin is not None and getattr(origin, "__name__", "") == "UnionType"):
        options = [json_type(a) for a in arguments if a is not type(None)]
        return options[0] if len(options) == 1 else ({"anyOf": options} if all(options) else {})
    if origin is typing.Literal:
        return {"enum": list(arguments)}
    simple = {str: "string", int: "integer", float: "number", bool: "boolean", dict: "object", list: "array"}
    if annotation in simple:
        return {"type": simple[annotation]}
    if origin in (list, tuple, set):
        schema = {"type": "array"}
        if arguments and arguments[0] is not Ellipsis:
            schema["items"] = json_type(arguments[0])
        return schema
    if origin is dict:
        return {"type": "object"}
    return {}


SECTIONS = {"args:", "arguments:", "parameters:", "returns:", "return:", "raises:", "yields:", "example:",
            "examples:", "note:", "notes:"}


def docstring_parts(function):
    """The text before the sections, and the `Args:` descriptions, of a Google-style docstring."""
    summary, described, section, current, base = [], {}, None, None, None
    for line in (inspect.getdoc(function) or "").splitlines():
        stripped = line.strip()
        if stripped.lower() in SECTIONS:
            section, current, base = stripped.lower(), None, None
            continue
        if section is None:
            summary.append(stripped)
        elif section in ("args:", "arguments:", "parameters:") and stripped:
            indent = len(line) - len(line.lstrip())
            head, separator, rest = stripped.partition(":")
            name = head.split("(")[0].strip()
            if separator and name.isidentifier() and (base is None or indent <= base):
                base, current = indent, name
                described[name] = rest.strip()
            elif current:
                described[current] = (described[current] + " " + stripped).strip()
    return "\n".join(summary).strip(), described


def hidden_parameters(function, spec):
    return set(spec.get("preset_args") or {}) | set(getattr(function, "__context_params__", set())) | {"agent_cwd"}


def describe(function, spec):
    signature = inspect.signature(function)
    accepts_any = any(p.kind == p.VAR_KEYWORD for p in signature.parameters.values())
    for name in spec.get("preset_args") or {}:
        if name not in signature.parameters and not accepts_any:
            raise ToolProblem(
                f"preset_args names `{name}`, which `{spec['function']}` does not take "
                f"(its parameters: {', '.join(signature.parameters) or 'none'})")
    summary, described = docstring_parts(function)
    description = spec.get("description") or summary or f"The custom tool {spec['function']}."
    if spec.get("parameters") is not None:
        return {"description": description, "parameters": spec["parameters"]}
    properties, required = {}, []
    for name, parameter in signature.parameters.items():
        if name in ("self", "cls") or name in hidden_parameters(function, spec):
            continue
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        schema = json_type(parameter.annotation)
        if name in described:
            schema["description"] = described[name]
        if parameter.default is parameter.empty:
            required.append(name)
        elif isinstance(parameter.default, (str, int, float, bool)) or parameter.default is None:
            schema["default"] = parameter.default
        properties[name] = schema
    return {"description": description,
            "parameters": {"type": "object", "properties": properties, "required": required}}


def text_of(result):
    """A tool's result as text: MassGen's ExecutionResult blocks, a string, or JSON."""
    if hasattr(result, "output_blocks"):
        parts = []
        for block in result.output_blocks or []:
            kind = getattr(block, "block_type", "text")
            data = getattr(block, "data", "")
            parts.append(str(data) if kind == "text" else f"[{kind} output of {len(str(data))} characters, not shown]")
        return "\n".join(parts)
    if isinstance(result, str):
        return result
    try:
        return json.dumps(result, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return repr(result)


async def final_result(value):
    """Awaits coroutines and drains generators (MassGen streams results; the last one counts)."""
    if inspect.isawaitable(value):
        value = await value
    if inspect.isasyncgen(value):
        last = None
        async for item in value:
            last = item
        return last
    if inspect.isgenerator(value):
        last = None
        for item in value:
            last = item
        return last
    return value


def call(function, spec, arguments, agent_id):
    signature = inspect.signature(function)
    accepts_any = any(p.kind == p.VAR_KEYWORD for p in signature.parameters.values())
    unknown = [n for n in arguments if n not in signature.parameters and not accepts_any]
    if unknown:
        return {"error": f"unknown argument(s) {', '.join(unknown)}; the tool takes "
                         f"{', '.join(n for n in signature.parameters if n not in hidden_parameters(function, spec))}",
                "kind": "arguments"}
    keywords = dict(spec.get("preset_args") or {})
    if "agent_cwd" in signature.parameters:
        keywords["agent_cwd"] = os.getcwd()
    if "agent_id" in getattr(function, "__context_params__", set()):
        keywords["agent_id"] = agent_id
    keywords.update(arguments)
    missing = [n for n, p in signature.parameters.items()
               if p.default is p.empty and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) and n not in keywords]
    if missing:
        return {"error": f"missing argument(s): {', '.join(missing)}", "kind": "arguments"}
    real_stdout = sys.stdout
    sys.stdout = sys.stderr
    try:
        result = asyncio.run(final_result(function(**keywords)))
    except Exception as error:
        frames = traceback.format_exception(type(error), error, error.__traceback__)
        return {"error": f"{type(error).__name__}: {error}", "kind": "raised", "traceback": "".join(frames[-4:])}
    finally:
        sys.stdout = real_stdout
    return {"text": text_of(result)}


def main():
    installed = importlib.util.find_spec("massgen")
    install_massgen_shim(installed)
    mode = sys.argv[1]
    try:
        if mode == "describe":
            described = []
            for spec in json.loads(sys.argv[2]):
                try:
                    described.append(describe(load_function(spec, installed), spec))
                except ToolProblem as problem:
                    raise ToolProblem(f"{spec['name']}: {problem}")
            reply = {"tools": described}
        else:
            spec = json.loads(sys.argv[2])
            reply = call(load_function(spec, installed), spec, json.loads(sys.argv[3]), spec.get("agent_id", ""))
    except ToolProblem as problem:
        reply = {"error": str(problem), "kind": "load"}
    sys.stdout.flush()
    print(MARKER + json.dumps(reply, default=str), flush=True)


main()
