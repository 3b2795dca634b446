"""Builds Parley's override of the pinned generator's ``model.py.jinja`` (open response enums).

Parley keeps only its own edits here, never a copy of openapi-python-client's template: this step
reads the installed generator's ``templates/model.py.jinja``, applies each edit at a named anchor
(a text that must occur exactly once, else :class:`AnchorError` names the anchor and the
generator version), and writes the result into a template folder handed to the generator with
``--custom-template-path`` (``scripts/regenerate`` does this in a temporary folder).

The rule ("PARLEY open enum"): a string enum property of a model that is not a request body
(class name not ending in "Request") is typed ``TheEnum | str``; a known value is parsed to its
member and a value newer than this client is kept as the raw string instead of raising. Request
models keep strict enums, and so do one-value enums: they name a variant (an SSE event's
``event``), and an open one would let every variant parse as any other. See
tests/unit/test_forward_compat_models.py.

Usage: ``python generator-templates/build_model_template.py OUT_DIR`` writes
``OUT_DIR/model.py.jinja``; exit status 1 with the error on stderr when an anchor is missing or
ambiguous.
"""

# ruff: noqa: E501  (the Jinja snippets below are kept byte for byte, long lines included)

from __future__ import annotations

import hashlib
import sys
from importlib.metadata import version
from pathlib import Path

__all__ = ["EDITS", "AnchorError", "Edit", "build", "upstream_template"]

GENERATOR = "openapi-python-client"

# Our header: a Jinja comment (not rendered) and the test deciding which enum properties open up.
# @UPSTREAM_SHA256@ is filled in with the digest of the template the override was built from.
HEADER = r"""{#- Parley: openapi-python-client 0.29.1's model.py.jinja (pinned in pyproject.toml), with one
    change, marked "PARLEY open enum": a string enum property of a model that is not a request
    body (class name not ending in "Request") is typed `TheEnum | str`; a known value is parsed
    to its member and a value newer than this client is kept as the raw string instead of
    raising. Request models keep strict enums, and so do one-value enums: they name a variant
    (an SSE event's `event`), and an open one would let every variant parse as any other.
    See tests/unit/test_forward_compat_models.py.
    Derived from the generator's template with sha256
    @UPSTREAM_SHA256@: a test fails when the
    installed generator's template differs, so an upgrade re-derives this file. -#}
{% set parley_request_model = model.class_info.name.endswith("Request") %}
{% macro parley_open_enum(property) %}{% if not parley_request_model and property.template == "enum_property.py.jinja" and property.value_type.__name__ == "str" and property["values"] | length > 1 %}yes{% endif %}{% endmacro %}
"""

# Before declare_property: the annotation of an open enum also admits the raw string.
DECLARATION = r"""{% macro parley_declaration(property) %}
{%- set declared = property.to_string() | as_unembedded_code -%}
{%- if parley_open_enum(property) -%}
{#- PARLEY open enum: the annotation also admits the raw string. -#}
{%- set closed = property.get_type_string() | as_unembedded_code -%}
{%- set open = closed | replace(property.class_info.name, property.class_info.name + " | str") -%}
{{ declared | replace(": " + closed, ": " + open, 1) }}
{%- else -%}
{{ declared }}
{%- endif -%}
{% endmacro %}

"""

# In _transform_property (to_dict): an open enum's value may already be a string.
TRANSFORM = r"""{%- if parley_open_enum(property) and property.required -%}
{{ property.python_name }} = str({{ content }})
{%- elif parley_open_enum(property) -%}
{{ property.python_name }}: str | Unset = UNSET
if not isinstance({{ content }}, Unset):
    {{ property.python_name }} = str({{ content }})
"""

# Before _prepare_field_dict: from_dict of an open enum.
CONSTRUCT = r"""{% macro parley_construct_open_enum(property, source) %}
{#- PARLEY open enum: a known value becomes its member (one dict lookup, faster than calling
    the enum), an unknown string stays a string, anything else fails as the enum call does. -#}
{% set name = property.python_name %}
{% set enum = property.class_info.name %}
_{{ name }} = {{ source }}
{{ name }}: {{ property.get_type_string() | as_unembedded_code | replace(enum, enum + " | str") }}
_{{ name }}_known = {{ enum }}._value2member_map_.get(_{{ name }}) if isinstance(_{{ name }}, str) else None
{% if not property.required %}
if isinstance(_{{ name }}, Unset):
    {{ name }} = UNSET
elif isinstance(_{{ name }}_known, {{ enum }}):
{% else %}
if isinstance(_{{ name }}_known, {{ enum }}):
{% endif %}
    {{ name }} = _{{ name }}_known
elif isinstance(_{{ name }}, str):
    {{ name }} = _{{ name }}
else:
    {{ name }} = {{ enum }}(_{{ name }})
{% endmacro %}

"""


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


DECLARE = "{% macro declare_property(property) %}\n"
UPSTREAM_DECLARED = "{{ property.to_string() | as_unembedded_code }}\n"
EDITS = (
    Edit(
        "header",
        "from __future__ import annotations\n",
        HEADER + "from __future__ import annotations\n",
    ),
    Edit("declaration macro", DECLARE, DECLARATION + DECLARE),
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
        TRANSFORM + "{%- elif prop_template.transform -%}\n",
    ),
    Edit(
        "from_dict macro",
        "{% macro _prepare_field_dict() %}\n",
        CONSTRUCT + "{% macro _prepare_field_dict() %}\n",
    ),
    Edit(
        "from_dict construct",
        "    {% if prop_template.construct %}\n",
        "    {% if parley_open_enum(property) %}\n"
        "        {{ parley_construct_open_enum(property, property_source) | indent(8) }}\n"
        "    {% elif prop_template.construct %}\n",
    ),
)


def upstream_template() -> Path:
    """Path of the installed generator's ``templates/model.py.jinja``."""
    import openapi_python_client

    return Path(openapi_python_client.__file__).parent / "templates" / "model.py.jinja"


def build(upstream: str, generator_version: str) -> str:
    """The override: ``upstream`` with every edit of :data:`EDITS` applied.

    Args:
        upstream: Text of the generator's ``model.py.jinja``.
        generator_version: Installed generator version, named in errors.

    Returns:
        The override's text.

    Raises:
        AnchorError: An anchor occurs zero times or more than once in ``upstream``.
    """
    digest = hashlib.sha256(upstream.encode()).hexdigest()
    text = upstream
    for edit in EDITS:
        count = upstream.count(edit.anchor)
        if count != 1:
            raise AnchorError(
                f"{GENERATOR} {generator_version}'s templates/model.py.jinja has anchor "
                f"{edit.name!r} {count} times (need exactly 1): {edit.anchor!r}. Re-derive the "
                "edits in generator-templates/build_model_template.py for this version."
            )
        text = text.replace(edit.anchor, edit.replacement.replace("@UPSTREAM_SHA256@", digest))
    return text


def main(argv: list[str]) -> int:
    """Writes ``argv[1]/model.py.jinja``; returns the exit status."""
    if len(argv) != 2:
        print("usage: build_model_template.py OUT_DIR", file=sys.stderr)
        return 2
    upstream = upstream_template().read_text()
    try:
        text = build(upstream, version(GENERATOR))
    except AnchorError as error:
        print(f"build_model_template: {error}", file=sys.stderr)
        return 1
    out = Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    (out / "model.py.jinja").write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
