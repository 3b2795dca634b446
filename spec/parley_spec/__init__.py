"""The contract module: where ``openapi.yaml`` is, how it is read, how its ``$ref``s resolve.

Every package of Parley (the server, the harness, ``parley diff``, the scripts and the tests)
finds and reads the document through this module, so the search order, the YAML loader and the
RFC 6901 JSON Pointer rules are written once. It imports nothing of Parley's.

Example::

    from parley_spec import load_document, resolve

    document = load_document()                 # $PARLEY_OPENAPI, packaged copy, or checkout
    problem = resolve(document, {"$ref": "#/components/schemas/Problem"})
"""

from ._locate import SPEC_ENV, spec_path
from ._read import SpecError, load_document, parse_document, read_document
from ._refs import follow_pointer, resolve, resolve_refs

__all__ = [
    "SPEC_ENV",
    "SpecError",
    "follow_pointer",
    "load_document",
    "parse_document",
    "read_document",
    "resolve",
    "resolve_refs",
    "spec_path",
]
