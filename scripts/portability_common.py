"""What scripts/portability.py's tool checks share: paths, the tool runner, spec helpers."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

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
