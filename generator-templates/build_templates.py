"""Builds Parley's overrides of three of the pinned generator's templates.

Parley keeps only its own edits, never a copy of openapi-python-client's templates: this step
reads the installed generator's ``templates/model.py.jinja``, ``endpoint_module.py.jinja``
and ``types.py.jinja``, applies each edit of :data:`TEMPLATES` at a named anchor (a text that
must occur exactly once, else :class:`AnchorError` names the template, the anchor and the
generator version), and writes the results into a template folder handed to the generator
with ``--custom-template-path`` (``scripts/regenerate`` does this in a temporary folder). The
text an edit inserts is a file of ``snippets/``, kept byte for byte.

The model template's edits:

- "PARLEY open enum": a string enum property of a model that is not a request body (class name
  not ending in "Request") is typed ``TheEnum | str``; a known value is parsed to its member
  and a value newer than this client is kept as the raw string instead of raising. Request
  models keep strict enums, and so do one-value enums: they name a variant (an SSE event's
  ``event``), and an open one would let every variant parse as any other. See
  tests/unit/test_forward_compat_models.py.
- "PARLEY straight union": ``from_dict`` decodes a union property of plain values (a nullable
  string, number or boolean) and at most one value to construct (a date-time, date, UUID,
  enum or model, checked by type first) in straight-line code, where the generator defines
  and calls a nested ``_parse_<name>`` function per property and object. Same results,
  same fallbacks (a value that fails to construct is kept as given), no function built per
  call.
- "PARLEY fast uuid": a ``format: uuid`` value is read with ``parse_uuid`` (added to
  ``types.py.jinja``), which gives what ``UUID(value)`` gives, or raises what it raises, with
  half the work for the canonical text form, and gives a canonical text parsed lately (at
  most 1,024 kept) the UUID built then: a page's messages share one conversation id. An
  object's own ``id``, which no other object of an answer has, is read with
  ``parse_own_uuid``: the same parse, nothing kept.
- "PARLEY positional arguments": ``from_dict`` builds the model with positional arguments in
  the order the class declares its fields (binding keywords costs ~30 ns each).
- "PARLEY read without copying": ``from_dict`` reads its properties from the ``dict`` it is
  given (``src_dict["name"]``, ``.get("name", UNSET)``) instead of popping them from a copy,
  and keeps the keys it does not declare as ``additional_properties`` only when there are
  more keys than required properties; any other mapping, or a value that is not one, still
  goes through ``dict()``, which accepts or raises as before.

These make decoding a 100-message page about a third cheaper; behaviour is the
generator's, which tests/unit/test_generated_decoding.py and ``scripts/check-compat`` show.

The endpoint template's edit ("PARLEY public builder and parser"): every operation module also
exposes its request builder and its answer parser as ``request_kwargs`` and ``parse_response``
(the generator's private ``_get_kwargs`` and ``_parse_response``), so a client that sends the
request itself (Parley's overlays) builds it and parses the answer once each, importing no
private name.

Usage: ``python generator-templates/build_templates.py OUT_DIR`` writes the overrides of
``model.py.jinja``, ``endpoint_module.py.jinja`` and ``types.py.jinja`` into ``OUT_DIR``;
exit status 1 with the error on stderr when an anchor is missing or ambiguous (nothing is
written then).
"""

from __future__ import annotations

import hashlib
import sys
from importlib.metadata import version
from pathlib import Path

__all__ = ["TEMPLATES", "AnchorError", "Edit", "build", "upstream_template"]

GENERATOR = "openapi-python-client"
SNIPPETS = Path(__file__).resolve().parent / "snippets"


def snippet(name: str) -> str:
    """The text of ``snippets/<name>.jinja``, byte for byte.

    In a header, ``@UPSTREAM_SHA256@`` is later replaced by the digest of the upstream template
    the override was built from.
    """
    return (SNIPPETS / f"{name}.jinja").read_text()


class AnchorError(RuntimeError):
    """An edit's anchor is missing from, or repeated in, the installed generator's template."""


class Edit:
    """One named edit: ``replacement`` takes the place of ``anchor`` (which must occur once).

    Args:
        name: What the edit does, shown in errors.
        anchor: Exact text of the upstream template.
        replacement: Text written instead of ``anchor``.
    """

    def __init__(self, name: str, anchor: str, replacement: str) -> None:
        self.name, self.anchor, self.replacement = name, anchor, replacement


def before(name: str, anchor: str, text: str) -> Edit:
    """An edit inserting ``text`` just before ``anchor``."""
    return Edit(name, anchor, text + anchor)


DECLARE = "{% macro declare_property(property) %}\n"
UPSTREAM_DECLARED = "{{ property.to_string() | as_unembedded_code }}\n"
UPSTREAM_KEYWORDS = (
    "{% for property in model.required_properties + model.optional_properties %}\n"
    "            {{ property.python_name }}={{ property.python_name }},\n"
    "{% endfor %}\n"
)
EXTRA_ANCHOR = (
    "{% if model.additional_properties %}\n    {% if model.additional_properties.template %}"
)
MODEL_EDITS = (
    before("header", "from __future__ import annotations\n", snippet("model_header")),
    before("declaration macro", DECLARE, snippet("model_declaration")),
    Edit(
        "declare_property with docstring",
        UPSTREAM_DECLARED + "{{ docstring(",
        "{{ parley_declaration(property) }}\n{{ docstring(",
    ),
    Edit(
        "declare_property without docstring",
        "{%- else -%}\n" + UPSTREAM_DECLARED + "{%- endif -%}\n{% endmacro %}",
        "{%- else -%}\n{{ parley_declaration(property) }}\n{%- endif -%}\n{% endmacro %}",
    ),
    Edit(
        "to_dict transform",
        "{%- if prop_template.transform -%}\n",
        snippet("model_transform") + "{%- elif prop_template.transform -%}\n",
    ),
    Edit(
        "types import",
        "from ..types import UNSET, Unset\n",
        "from ..types import UNSET, Unset, parse_own_uuid, parse_uuid\n",
    ),
    before(
        "from_dict macros",
        "{% macro _prepare_field_dict() %}\n",
        snippet("model_open_enum") + snippet("model_straight_union"),
    ),
    Edit("from_dict positional arguments", UPSTREAM_KEYWORDS, snippet("model_positional")),
    Edit(
        "from_dict without a copy",
        "        d = dict(src_dict)\n",
        "        if src_dict.__class__ is not dict:  # PARLEY: what dict() accepts or raises\n"
        "            src_dict = dict(src_dict)\n",
    ),
    Edit(
        "from_dict required read",
        "'d.pop(\"' + (property.name | in_double_quote_literal) + '\")'",
        "'src_dict[\"' + (property.name | in_double_quote_literal) + '\"]'",
    ),
    Edit(
        "from_dict optional read",
        "'d.pop(\"' + (property.name | in_double_quote_literal) + '\", UNSET)'",
        "'src_dict.get(\"' + (property.name | in_double_quote_literal) + '\", UNSET)'",
    ),
    Edit(
        "from_dict extra keys",
        EXTRA_ANCHOR,
        EXTRA_ANCHOR.replace("\n", "\n" + snippet("model_extra"), 1),
    ),
    Edit("from_dict typed extra", "in d.items():\n", "in extra.items():\n"),
    Edit(
        "from_dict untyped extra",
        "        {{ module_name }}.additional_properties = d\n",
        "        if extra:\n            {{ module_name }}.additional_properties = extra\n",
    ),
    Edit(
        "from_dict construct",
        "    {% if prop_template.construct %}\n",
        "    {% if parley_open_enum(property) %}\n"
        "        {{ parley_construct_open_enum(property, property_source) | indent(8) }}\n"
        "    {% elif parley_straight_union(property) %}\n"
        "        {{ parley_construct_straight_union(property, property_source) | indent(8) }}\n"
        '    {% elif property.template == "uuid_property.py.jinja" %}\n'
        "        {{ parley_uuid(property, property_source) | indent(8) }}\n"
        "    {% elif prop_template.construct %}\n",
    ),
)
ENDPOINT_EDITS = (
    before("header", "from http import HTTPStatus\n", snippet("endpoint_header")),
    before("public builder and parser", "def sync_detailed(\n", snippet("endpoint_public")),
)
UPSTREAM_ALL = '__all__ = ["UNSET", "File", "FileTypes", "RequestFiles", "Response", "Unset"]\n'
TYPES_EDITS = (
    before("header", '""" Contains some shared types', snippet("types_header")),
    Edit(
        "uuid imports",
        "from attrs import define\n",
        "from attrs import define\nfrom typing import Any\nfrom uuid import UUID, SafeUUID\n",
    ),
    Edit(
        "parse_uuid",
        UPSTREAM_ALL,
        snippet("types_parse_uuid")
        + UPSTREAM_ALL.replace('"Unset"]', '"Unset", "parse_own_uuid", "parse_uuid"]'),
    ),
)
TEMPLATES: dict[str, tuple[Edit, ...]] = {
    "model.py.jinja": MODEL_EDITS,
    "endpoint_module.py.jinja": ENDPOINT_EDITS,
    "types.py.jinja": TYPES_EDITS,
}
"""Each template Parley overrides, and the edits that make the override of it."""


def upstream_template(name: str = "model.py.jinja") -> Path:
    """Path of the installed generator's ``templates/<name>``."""
    import openapi_python_client

    return Path(openapi_python_client.__file__).parent / "templates" / name


def build(upstream: str, generator_version: str, name: str = "model.py.jinja") -> str:
    """The override of template ``name``: ``upstream`` with each of its edits applied.

    Args:
        upstream: Text of the generator's template ``name``.
        generator_version: Installed generator version, named in errors.
        name: A template of :data:`TEMPLATES`.

    Returns:
        The override's text.

    Raises:
        AnchorError: An anchor occurs zero times or more than once in ``upstream``.
    """
    digest = hashlib.sha256(upstream.encode()).hexdigest()
    text = upstream
    for edit in TEMPLATES[name]:
        count = upstream.count(edit.anchor)
        if count != 1:
            raise AnchorError(
                f"{GENERATOR} {generator_version}'s templates/{name} has anchor "
                f"{edit.name!r} {count} times (need exactly 1): {edit.anchor!r}. Re-derive the "
                "edits in generator-templates/build_templates.py for this version."
            )
        text = text.replace(edit.anchor, edit.replacement.replace("@UPSTREAM_SHA256@", digest))
    return text


def main(argv: list[str]) -> int:
    """Writes every override of :data:`TEMPLATES` into ``argv[1]``; returns the exit status."""
    if len(argv) != 2:
        print("usage: build_templates.py OUT_DIR", file=sys.stderr)
        return 2
    built: dict[str, str] = {}
    for name in TEMPLATES:
        try:
            built[name] = build(upstream_template(name).read_text(), version(GENERATOR), name)
        except AnchorError as error:
            print(f"build_templates: {error}", file=sys.stderr)
            return 1
    out = Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for name, text in built.items():
        (out / name).write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
