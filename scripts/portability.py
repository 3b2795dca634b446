"""Feeds openapi.yaml to six third-party OpenAPI tool runs, then proves each one really checks.

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
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from parley_spec import read_document
from portability_breaks import (
    break_for_datamodel_codegen,
    break_for_openapi_generator,
    break_for_prism,
    break_for_prism_proxy,
    break_for_redocly,
    break_for_typescript,
)
from portability_common import (
    NOTES,
    ROOT,
    TOOLS_DIR,
    VENV_BIN,
    Check,
    node_tool,
    parse_sse,
    run,
    stream_media,
)
from portability_prism import check_prism
from portability_proxy import check_prism_proxy

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

    The walk (ModelUtils.getAllUsedSchemas, 7.26) follows `$ref`, `oneOf`/`anyOf`/`allOf`,
    `items`, `additionalProperties`, `not` and `properties` from operations' parameters,
    bodies, responses, headers and callbacks. Each of those forms would misdescribe `data` (an
    object branch, an impossible `allOf`, a vacuous `not`, a header or callback that is not on
    the wire); CONTRIBUTING.md "Why that tolerance stays" gives the reasons one by one.
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
    dumped = json.dumps(read_document(spec))
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
    document = read_document(spec)
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


TOOLS: dict[str, tuple[Check, Callable[[dict[str, Any]], None]]] = {
    "redocly": (check_redocly, break_for_redocly),
    "openapi-generator": (check_openapi_generator, break_for_openapi_generator),
    "openapi-typescript": (check_typescript, break_for_typescript),
    "prism": (check_prism, break_for_prism),
    "prism-proxy": (check_prism_proxy, break_for_prism_proxy),
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
    document = read_document(args.spec)
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
