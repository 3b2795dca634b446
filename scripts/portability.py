"""Feeds openapi.yaml to five third-party OpenAPI tools, then proves each one really checks.

Run by `scripts/check-portability`, which installs the pinned tools first (portability/
package.json for the Node ones, pyproject's dev extra for openapi-generator-cli and
datamodel-code-generator). For each tool: the contract must pass with no error and no warning,
and a copy of the contract broken in a way that tool must notice must fail. Exit 0 only when
all of that holds. `--only redocly,prism` runs a subset.
"""

from __future__ import annotations

import argparse
import copy
import importlib.util
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import yaml

ROOT = Path(__file__).resolve().parent.parent
TOOLS_DIR = ROOT / "portability"
NODE = TOOLS_DIR / "node_modules" / ".bin" / "node"
BIN = TOOLS_DIR / "node_modules" / ".bin"
VENV_BIN = Path(sys.executable).parent
METHODS = ("get", "put", "post", "patch", "delete")
SAMPLE_ID = "9b2f4c7e-1a3d-4e5f-8a6b-7c8d9e0f1a2b"
# Telemetry and update checks off: the tools run with no network but the package registries.
QUIET_ENV = {
    "REDOCLY_TELEMETRY": "off",
    "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true",
    "SCARF_ANALYTICS": "false",
    "DO_NOT_TRACK": "1",
    "NO_UPDATE_NOTIFIER": "1",
}

NOTES: list[str] = []
"""Findings a check explains rather than fails on; printed for the contract's run."""

Check = Callable[[Path, Path], list[str]]
"""A tool check: (spec file, scratch folder) -> problems; no problem means it passed."""


def run(args: list[str | Path], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **QUIET_ENV}
    return subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, timeout=timeout, env=env
    )


def node_tool(name: str) -> list[str | Path]:
    """Runs a Node tool with the Node from the `node` package (Prism needs a newer one)."""
    return [NODE, BIN / name]


# -- the five tools -----------------------------------------------------------------------------


def check_redocly(spec: Path, work: Path) -> list[str]:
    out = run(
        [
            *node_tool("redocly"),
            "lint",
            spec,
            "--config",
            TOOLS_DIR / "redocly.yaml",
            "--format",
            "json",
        ]
    )
    try:
        report = json.loads(out.stdout)
    except json.JSONDecodeError:
        return [f"redocly did not report (exit {out.returncode}): {out.stderr.strip()[-500:]}"]
    return [f"{p['severity']} {p['ruleId']}: {p['message']}" for p in report["problems"]]


def check_openapi_generator(spec: Path, work: Path) -> list[str]:
    """`validate`: no error, and no warning but the unused-model ones it cannot help.

    openapi-generator's unused-model walker does not follow `contentSchema`, the only place a
    stream event's payload schema (`data` is JSON text) can be named without describing the
    string as something else. Those warnings, and only for schemas a `contentSchema` names, are
    printed as explained; any other warning fails.
    """
    out = run([VENV_BIN / "openapi-generator-cli", "validate", "-i", spec])
    text = out.stdout + out.stderr
    problems: list[str] = []
    section = ""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith(("Errors:", "Warnings:")):
            section = stripped.rstrip(":").lower()
        elif section and stripped.startswith("- "):
            problems.append(f"{section}: {stripped[2:]}")
        elif section and line.startswith(("\t  ", "    ")) and problems:
            problems[-1] += " " + stripped  # a wrapped message
    if out.returncode:
        problems.append(f"exit {out.returncode}")
    dumped = json.dumps(yaml.safe_load(spec.read_text()))
    content_schemas = set(re.findall(r"contentSchema\W+\$ref\W+#/components/schemas/(\w+)", dumped))
    explained = [
        p for p in problems if p.removeprefix("warnings: Unused model: ") in content_schemas
    ]
    NOTES.extend(
        f"explained: {p} (named by a contentSchema, which it does not follow)" for p in explained
    )
    problems = [p for p in problems if p not in explained]
    if not problems and not explained and "No validation issues detected" not in text:
        problems.append(f"unexpected output: {text.strip()[-500:]}")
    return problems


def check_typescript(spec: Path, work: Path) -> list[str]:
    out = run([*node_tool("openapi-typescript"), spec, "-o", work / "parley.d.ts"])
    if out.returncode:
        return [f"openapi-typescript failed: {(out.stderr or out.stdout).strip()[-800:]}"]
    warnings = [line for line in out.stderr.splitlines() if "warn" in line.lower()]
    shutil.copy(TOOLS_DIR / "consumer.ts", work / "consumer.ts")
    shutil.copy(TOOLS_DIR / "tsconfig.json", work / "tsconfig.json")
    tsc = run([*node_tool("tsc"), "--noEmit", "-p", work / "tsconfig.json"])
    return warnings + [line for line in tsc.stdout.splitlines() if line.strip()]


def check_prism(spec: Path, work: Path) -> list[str]:
    document = yaml.safe_load(spec.read_text())
    port = free_port()
    log = (work / "prism.log").open("w")
    process = subprocess.Popen(
        [str(a) for a in [*node_tool("prism"), "mock", spec, "-h", "127.0.0.1", "-p", str(port)]],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, **QUIET_ENV},
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        if not wait_for_port(port, process, seconds=60):
            return [f"prism did not start: {(work / 'prism.log').read_text()[-800:]}"]
        with httpx.Client(base_url=base, timeout=30) as client:
            calls = operations(document)
            problems = [p for op in calls for p in probe(client, document, *op)]
        streams = len(stream_media(document))
        NOTES.append(f"called {len(calls)} operations ({streams} streaming) on the mock")
        return problems
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def check_datamodel_codegen(spec: Path, work: Path) -> list[str]:
    target = work / "parley_models.py"
    out = run(
        [
            VENV_BIN / "datamodel-codegen",
            "--input", spec,
            "--input-file-type", "openapi",
            "--output-model-type", "pydantic_v2.BaseModel",
            "--target-python-version", "3.11",
            "--formatters", "builtin",
            "--output", target,
        ]
    )  # fmt: skip
    if out.returncode or out.stderr.strip():
        return [f"datamodel-codegen (exit {out.returncode}): {out.stderr.strip()[-800:]}"]
    module_spec = importlib.util.spec_from_file_location(f"parley_models_{id(work)}", target)
    assert module_spec is not None and module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[module_spec.name] = module  # pydantic resolves forward references through it
    try:
        module_spec.loader.exec_module(module)
    except Exception as error:
        return [f"the generated models do not import: {error!r}"[:800]]
    finally:
        del sys.modules[module_spec.name]
    document = yaml.safe_load(spec.read_text())
    problems = [
        f"no model for components.schemas.{name}"
        for name in document["components"]["schemas"]
        if not hasattr(module, name)
    ]
    # Each event of each stream example parses into its own class through the union.
    for op_id, media in stream_media(document):
        union = getattr(module, media["schema"]["$ref"].rsplit("/", 1)[-1])
        for event in parse_sse(media["example"]):
            try:
                parsed = union.model_validate(event).root.root
            except Exception as error:
                problems.append(f"{op_id}: event {event['event']} does not parse: {error}")
                continue
            if parsed.event != event["event"]:
                problems.append(f"{op_id}: {event['event']} parsed as {type(parsed).__name__}")
    return problems


# -- helpers ------------------------------------------------------------------------------------


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any], list[Any]]]:
    found = []
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item:
                found.append((path, method, item[method], item.get("parameters", [])))
    return found


def stream_media(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    found = []
    for _, _, op, _ in operations(document):
        for status, response in op["responses"].items():
            media = response.get("content", {}).get("text/event-stream")
            if status.startswith("2") and media is not None:
                found.append((op["operationId"], media))
    return found


def parse_sse(text: str) -> list[dict[str, str]]:
    """Splits Server-Sent Events text into ``{id, event, data}`` dicts."""
    events = []
    for block in text.strip("\n").split("\n\n"):
        fields: dict[str, str] = {}
        for line in block.split("\n"):
            name, _, value = line.partition(":")
            fields[name] = fields.get(name, "") + value.removeprefix(" ")
        events.append(fields)
    return events


def resolve(document: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = document
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def probe(
    client: httpx.Client, document: dict[str, Any], path: str, method: str, op: dict[str, Any],
    shared: list[Any],
) -> list[str]:  # fmt: skip
    """Calls one operation on the mock with a valid request; returns what was wrong."""
    url = path
    for parameter in [resolve(document, p) for p in [*shared, *op.get("parameters", [])]]:
        if parameter["in"] == "path":
            url = url.replace("{" + parameter["name"] + "}", SAMPLE_ID)
    headers = {"X-API-Key": "pk_portability"}
    success = sorted(s for s in op["responses"] if s.startswith("2"))[0]
    content = resolve(document, op["responses"][success]).get("content", {})
    streams = "text/event-stream" in content
    headers["Accept"] = "text/event-stream" if streams else "application/json"
    body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("example")
    label = f"{op['operationId']} ({method.upper()} {path})"
    try:
        response = client.request(method.upper(), url, headers=headers, json=body)
    except httpx.HTTPError as error:
        return [f"{label}: {error!r}"]
    problems = []
    if str(response.status_code) != success:
        problems.append(
            f"{label}: answered {response.status_code}, not {success}: {response.text[:300]}"
        )
    media = response.headers.get("content-type", "")
    if streams:
        if not media.startswith("text/event-stream"):
            problems.append(f"{label}: answered {media!r}, not text/event-stream")
        names = [event.get("event") for event in parse_sse(response.text)]
        if not names or names[0] != "start" or names[-1] != "complete":
            problems.append(f"{label}: the streamed events are {names}")
    return problems


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for_port(port: int, process: subprocess.Popen[bytes], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            time.sleep(0.25)
    return False


# -- broken copies: one per tool, each a defect that tool must report ---------------------------


def break_for_redocly(document: dict[str, Any]) -> None:
    """Two operations with one operationId (rule operation-operationId-unique)."""
    document["paths"]["/v1/agent"]["get"]["operationId"] = "createAgent"


def break_for_openapi_generator(document: dict[str, Any]) -> None:
    """A link whose requestBody is an object with expressions inside (not one expression)."""
    links = document["paths"]["/v1/agent"]["post"]["responses"]["201"]["links"]
    links["CreateConversationWithAgent"] = {
        "operationId": "createConversation",
        "requestBody": {"agent_id": "$response.body#/id"},
    }


def break_for_typescript(document: dict[str, Any]) -> None:
    """`Conversation.title` becomes a number, which consumer.ts reads as a string."""
    document["components"]["schemas"]["Conversation"]["properties"]["title"] = {"type": "integer"}


def break_for_prism(document: dict[str, Any]) -> None:
    """The sendMessage stream example becomes an object again (Prism cannot send it as text)."""
    op = document["paths"]["/v1/conversation/{conversation_id}/chat"]["post"]
    op["responses"]["200"]["content"]["text/event-stream"]["example"] = {
        "event": "delta",
        "id": "2",
        "data": '{"content": "The enterprise plan", "index": 0}',
    }


def break_for_datamodel_codegen(document: dict[str, Any]) -> None:
    """`delta` events name themselves `start`: two stream event classes claim one name."""
    delta = document["components"]["schemas"]["DeltaEvent"]["properties"]["event"]
    delta.update({"enum": ["start"], "const": "start"})


TOOLS: dict[str, tuple[Check, Callable[[dict[str, Any]], None]]] = {
    "redocly": (check_redocly, break_for_redocly),
    "openapi-generator": (check_openapi_generator, break_for_openapi_generator),
    "openapi-typescript": (check_typescript, break_for_typescript),
    "prism": (check_prism, break_for_prism),
    "datamodel-codegen": (check_datamodel_codegen, break_for_datamodel_codegen),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default=",".join(TOOLS), help="comma-separated tool names")
    parser.add_argument("--spec", type=Path, default=ROOT / "openapi.yaml")
    args = parser.parse_args()
    names = [n for n in args.only.split(",") if n]
    unknown = set(names) - set(TOOLS)
    if unknown:
        parser.error(f"unknown tool(s) {sorted(unknown)}; known: {', '.join(TOOLS)}")
    document = yaml.safe_load(args.spec.read_text())
    failed = 0
    started = time.monotonic()
    for name in names:
        check, breaker = TOOLS[name]
        with tempfile.TemporaryDirectory(prefix=f"portability-{name}-") as tmp:
            work = Path(tmp)
            (work / "good").mkdir()
            (work / "broken").mkdir()
            t0 = time.monotonic()
            NOTES.clear()
            problems = check(args.spec, work / "good")
            notes = list(NOTES)
            broken = copy.deepcopy(document)
            breaker(broken)
            broken_spec = work / "broken" / "openapi.yaml"
            broken_spec.write_text(yaml.safe_dump(broken, sort_keys=False, allow_unicode=True))
            caught = check(broken_spec, work / "broken")
            seconds = time.monotonic() - t0
        ok = not problems and bool(caught)
        failed += not ok
        print(f"{'ok  ' if ok else 'FAIL'} {name:<20} {seconds:5.1f}s  contract: "
              f"{len(problems)} problem(s); broken copy: {len(caught)} problem(s)")  # fmt: skip
        for line in [*notes, *(f"contract: {p}" for p in problems)]:
            print(f"       {line}")
        if not caught:
            print(f"       the broken copy ({breaker.__doc__}) passed: {name} is not checking")
        else:
            print(f"       broken copy caught: {' '.join(caught[0].split())[:160]}")
    print(f"{len(names) - failed} passed, {failed} failed in {time.monotonic() - started:.0f}s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
