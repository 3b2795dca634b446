"""Routing by path template lookup: a segment tree of the spec's paths in front of Starlette.

Starlette's router tries every route's regular expression in turn, so an operation listed late
paid for a dozen failed matches per request. :class:`SpecRouter` first looks the request's path
up in a :class:`PathTable` (one dict lookup per segment; a literal segment wins over a
template parameter, as OpenAPI requires, backtracking when the literal branch does not reach
a path); the path's endpoint then picks the operation by method (405 with ``Allow`` when it has
none).

Requests no spec path matches fall through to Starlette's own scan over every route, so
routes outside the contract (health checks, docs, a ``Mount``) work as usual, and so do the
trailing-slash redirect and the 404: pass them as ``extra_routes``, or append them to
``app.routes``. They are tried after the spec's paths, so they must not overlap them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from starlette._utils import get_route_path
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route, Router
from starlette.types import Lifespan, Receive, Scope, Send

from .problems import ProblemError

__all__ = ["PathTable", "SpecRouter"]

T = TypeVar("T")
Endpoint = Callable[[Request], Awaitable[Response]]


@dataclass
class _Node(Generic[T]):
    literals: dict[str, _Node[T]] = field(default_factory=dict)
    params: list[tuple[str, _Node[T]]] = field(default_factory=list)
    target: T | None = None


class PathTable(Generic[T]):
    """Maps URL paths to targets registered under OpenAPI path templates.

    ``/v1/conversation/{conversation_id}`` matches ``/v1/conversation/abc`` with
    ``{"conversation_id": "abc"}``; a parameter matches one non-empty segment. When a literal
    path and a template both match (``/v1/conversation/deleted``), the literal wins at the first
    segment where they differ.
    """

    def __init__(self) -> None:
        self._root: _Node[T] = _Node()
        self._exact: dict[str, T] = {}

    def add(self, template: str, target: T) -> None:
        """Registers ``target`` under ``template`` (a path starting with ``/``).

        Raises:
            ValueError: The template does not start with ``/``, or is registered already.
        """
        if not template.startswith("/"):
            raise ValueError(f"a path template starts with '/': {template!r}")
        node = self._root
        for segment in template[1:].split("/"):
            if segment.startswith("{") and segment.endswith("}"):
                name = segment[1:-1]
                child = next((n for p, n in node.params if p == name), None)
                if child is None:
                    child = _Node()
                    node.params.append((name, child))
                node = child
            else:
                node = node.literals.setdefault(segment, _Node())
        if node.target is not None:
            raise ValueError(f"path template registered twice: {template!r}")
        node.target = target
        if "{" not in template:
            self._exact[template] = target

    def find(self, path: str) -> tuple[T, dict[str, str]] | None:
        """Returns the target matching ``path`` and its parameter values, or ``None``."""
        exact = self._exact.get(path)
        if exact is not None:
            return exact, {}
        if not path.startswith("/"):
            return None
        params: dict[str, str] = {}
        target = _walk(self._root, path[1:].split("/"), 0, params)
        return None if target is None else (target, params)


def _walk(node: _Node[T], segments: list[str], i: int, params: dict[str, str]) -> T | None:
    if i == len(segments):
        return node.target
    segment = segments[i]
    child = node.literals.get(segment)
    if child is not None:
        found = _walk(child, segments, i + 1, params)
        if found is not None:
            return found
    if segment:
        for name, node_ in node.params:
            found = _walk(node_, segments, i + 1, params)
            if found is not None:
                params[name] = segment
                return found
    return None


class SpecRouter(Router):
    """A Starlette router that serves the spec's paths by :class:`PathTable` lookup.

    Args:
        spec_routes: One ``Route`` per spec path; each endpoint answers every method of its
            path itself (405 included).
        extra_routes: Routes outside the contract, matched by Starlette after the spec's paths.
        lifespan: The app's lifespan context.
    """

    def __init__(
        self,
        spec_routes: Sequence[Route],
        extra_routes: Sequence[BaseRoute] = (),
        *,
        lifespan: Lifespan[Any] | None = None,
    ) -> None:
        super().__init__(routes=[*spec_routes, *extra_routes], lifespan=lifespan)
        self.table: PathTable[Route] = PathTable()
        for route in spec_routes:
            self.table.add(route.path, route)

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serves a spec path directly; anything else goes through Starlette's scan.

        A path with an encoded slash (``%2F``) matches nothing (404): the server decodes the
        path before routing, so ``{id}%2Fend`` would otherwise reach ``{id}/end``.
        """
        if scope["type"] == "http":
            raw_path = scope.get("raw_path") or b""
            if b"%2f" in raw_path.partition(b"?")[0].lower():
                response = ProblemError(
                    404,
                    "not-found",
                    "Not found",
                    "No operation matches this path (an encoded slash never separates segments).",
                ).to_response(scope["path"])
                await response(scope, receive, send)
                return
            found = self.table.find(get_route_path(scope))
            if found is not None:
                route, params = found
                scope.setdefault("router", self)
                scope["route"] = route
                scope["endpoint"] = route.endpoint
                scope["path_params"] = params
                request = Request(scope, receive, send)
                response = await route.endpoint(request)
                await response(scope, receive, send)
                return
        await super().app(scope, receive, send)
