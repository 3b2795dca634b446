"""The contract model: where ``openapi.yaml`` is, how it is read, and what it says, typed.

Every package of Parley (the server, the harness, ``parley diff``, the scripts and the tests)
reads the document through this module: one search order, one YAML loader, one JSON Pointer
decoder (:mod:`parley_spec._pointer`), one runtime-expression evaluator, one
:class:`Operation` type that fills its own path and follows its own links, the
``x-parley-*`` annotations parsed once into typed objects (:mod:`parley_spec.annotations`), and
the trace of the prose: every sentence of every description and what formalises it
(:mod:`parley_spec.prose`, :mod:`parley_spec.trace`, :attr:`Contract.trace`). It imports
nothing of Parley's.

Example::

    from parley_spec import load_contract

    contract = load_contract()                 # $PARLEY_OPENAPI, packaged copy, or checkout
    get = contract.by_id("getConversation")
    get.fill_path({"conversation_id": "3f1c"}) # '/v1/conversation/3f1c'
"""

from ._expressions import Exchange, RuntimeExpression, evaluate, is_expression, parse_expression
from ._locate import SPEC_ENV, spec_path
from ._model import (
    HTTP_METHODS,
    Contract,
    Link,
    LinkTarget,
    MediaType,
    MissingPathValue,
    Operation,
    Parameter,
    RequestBody,
    Response,
    load_contract,
)
from ._pointer import (
    MISSING,
    escape_token,
    follow_pointer,
    join_pointer,
    pointer_get,
    split_pointer,
    unescape_token,
)
from ._read import SpecError, load_document, parse_document, read_document
from ._refs import resolve, resolve_refs

__all__ = [
    "HTTP_METHODS",
    "MISSING",
    "SPEC_ENV",
    "Contract",
    "Exchange",
    "Link",
    "LinkTarget",
    "MediaType",
    "MissingPathValue",
    "Operation",
    "Parameter",
    "RequestBody",
    "Response",
    "RuntimeExpression",
    "SpecError",
    "escape_token",
    "evaluate",
    "follow_pointer",
    "is_expression",
    "join_pointer",
    "load_contract",
    "load_document",
    "parse_document",
    "parse_expression",
    "pointer_get",
    "read_document",
    "resolve",
    "resolve_refs",
    "spec_path",
    "split_pointer",
    "unescape_token",
]
