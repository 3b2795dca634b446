"""Resources of the first tenant, made through the server's own operations as the contract says.

A `World` sends, only when something first needs them, the requests that
:class:`~parley_contract.data.recipes.Recipes` reads from the document: the operation a
link leaves from (for the path values of the operation it leads to), the operation whose
answer carries an id a request body names, a write aimed at a read's path values (to add to
that read's answer). Each exchange is kept, so an operation's first answer (its *main*
instance) gives the path values of every operation fed by it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx
from parley_spec import MISSING, Exchange, Operation, pointer_get

from parley_contract.client import ApiClient
from parley_contract.data.bodies import varied, with_field
from parley_contract.data.identities import Feed
from parley_contract.data.recipes import Aim, Recipes
from parley_contract.data.schemas import request_schema
from parley_contract.results import CheckOutcome

__all__ = ["SETUP_ERRORS", "SetupFailed", "World", "method_order"]


class SetupFailed(Exception):
    """A resource a check needs could not be made; ``outcome`` says where and why."""

    def __init__(self, outcome: CheckOutcome) -> None:
        super().__init__(outcome.message)
        self.outcome = outcome


SETUP_ERRORS = (SetupFailed, httpx.HTTPError, KeyError, IndexError, TypeError, ValueError)
"""What making test data can raise against a broken server: a refused request, a network
error, an answer without what the next step reads."""


def method_order(operation: Operation) -> int:
    """Sort key that runs reads first and deletes last, so a broken server's writes hurt less."""
    return {"GET": 0, "DELETE": 2}.get(operation.method, 1)


def _json(response: httpx.Response) -> Any:
    try:
        return response.json() if response.content else MISSING
    except ValueError:
        return MISSING


class World:
    """Lazily made resources of the tenant behind ``client``.

    Args:
        client: A client holding a read-and-write credential of the first tenant.
        recipes: What the contract says about test data.
        check: The check name setup failures are reported under.
        fixed: Path values given by the user, by parameter name (``--path-value``); they
            are used wherever a path parameter of that name appears.
    """

    def __init__(
        self,
        client: ApiClient,
        recipes: Recipes,
        *,
        check: str,
        fixed: Mapping[str, str] | None = None,
    ) -> None:
        self.client = client
        self.recipes = recipes
        self.contract = recipes.contract
        self.check = check
        self.fixed = dict(fixed or {})
        self.extra_ids: set[str] = set()
        self._instances: dict[str, list[Exchange]] = {}
        self._log: list[tuple[Operation, Exchange]] = []
        self._grown: dict[tuple[Any, ...], int] = {}
        self._making: set[str] = set()

    # --- requests ---------------------------------------------------------------------------

    def call(
        self,
        operation: Operation,
        path: Mapping[str, Any],
        body: Any = None,
        **kwargs: Any,
    ) -> httpx.Response:
        """Send ``operation`` with these path values and body (and ``params``, ``headers``)."""
        return self.client.request(operation.method, operation.fill_path(path), body=body, **kwargs)

    def expect(self, operation: Operation, response: httpx.Response, why: str = "setup") -> None:
        """Raise `SetupFailed` unless ``response`` has the documented success status."""
        if response.status_code != operation.success_status:
            message = (
                f"{why}: {operation.operation_id} answered {response.status_code}, not "
                f"{operation.success_status}: {response.text[:200]}"
            )
            raise self._failed(operation.label, message, self.client.curl(response))

    def _failed(self, label: str, message: str, curl: str = "") -> SetupFailed:
        return SetupFailed(CheckOutcome(label, self.check, False, message, curl))

    def make(self, operation: Operation, *, aim: Aim | None = None, copy: int = 0) -> Exchange:
        """Send a new request of ``operation`` and keep its exchange.

        Args:
            operation: A write (a create, or a write aimed at what a read answers).
            aim: Path values and body fields that make it land where a read looks.
            copy: Which copy of its example body to send (0: the example).

        Raises:
            SetupFailed: The server refused it, or making it needs itself (a loop of links).
        """
        if operation.operation_id in self._making:
            raise self._failed(operation.label, "setup: its links form a loop")
        self._making.add(operation.operation_id)
        try:
            given = dict(aim.path) if aim else {}
            unaimed = set(operation.path_parameters) - set(given)
            path = {**(self.path_values(operation) if unaimed else {}), **given}
            body = self.body_for(operation, copy=copy)
            for pointer, value in (aim.body if aim else {}).items():
                body = with_field(body, pointer, value)
            response = self.call(operation, path, body)
            self.expect(operation, response)
        finally:
            self._making.discard(operation.operation_id)
        exchange = Exchange(
            method=operation.method,
            url=str(response.request.url),
            path=path,
            request_body=MISSING if body is None else body,
            status=response.status_code,
            response_headers=dict(response.headers),
            response_body=_json(response),
        )
        self._log.append((operation, exchange))
        if aim is None or not (aim.path or aim.body):
            self._instances.setdefault(operation.operation_id, []).append(exchange)
        return exchange

    def main(self, operation: Operation) -> Exchange:
        """The first exchange of ``operation`` this world made (made now if none)."""
        made = self._instances.get(operation.operation_id)
        return made[0] if made else self.make(operation)

    def instance(self, operation: Operation, number: int) -> Exchange:
        """The ``number``-th exchange of ``operation`` (0 is the main one).

        Made when missing; the n-th is sent with the n-th copy of the example body.
        """
        made = self._instances.setdefault(operation.operation_id, [])
        while len(made) <= number:
            self.make(operation, copy=len(made))
        return made[number]

    # --- values -----------------------------------------------------------------------------

    def follow(self, feed: Feed, exchange: Exchange) -> dict[str, str]:
        """The path values of ``feed.target`` that ``feed``'s link reads from ``exchange``.

        Raises:
            SetupFailed: The answer lacks one of them.
        """
        values = self.contract.follow(feed.link, exchange).in_location("path")
        missing = [n for n in feed.target.path_parameters if n not in values]
        if missing:
            raise self._failed(
                feed.source.label,
                f"setup: its answer has no {', '.join(missing)} for "
                f"{feed.target.operation_id}: {str(exchange.response_body)[:200]}",
            )
        found = {name: str(values[name]) for name in feed.target.path_parameters}
        return {**found, **{k: v for k, v in self.fixed.items() if k in found}}

    def path_values(self, operation: Operation, *, fresh: bool = False) -> dict[str, str]:
        """A value for each path parameter of ``operation``, making resources as needed.

        Args:
            operation: Any operation.
            fresh: Make a new resource for it (its feed sent again) instead of the main one.

        Raises:
            SetupFailed: No link gives its path values, or making them failed.
        """
        params = operation.path_parameters
        if all(name in self.fixed for name in params):
            return {name: self.fixed[name] for name in params}
        feeds = self.recipes.feeds(operation)
        if not feeds:
            raise self._failed(
                operation.label, f"setup: no link of the document gives {', '.join(params)}"
            )
        feed = feeds[0]
        exchange = self.make(feed.source) if fresh else self.main(feed.source)
        return self.follow(feed, exchange)

    def value_of(self, identity: str, number: int = 0) -> str:
        """The id of the ``number``-th resource of an identity (made when missing).

        Raises:
            SetupFailed: No operation makes one, or its answer lacks the id.
        """
        origin = next((o for o in self.recipes.origins(identity) if o.creates), None)
        if origin is None:
            raise self._failed("(setup)", f"setup: nothing makes {identity}")
        exchange = self.instance(origin.operation, number)
        value = pointer_get(exchange.response_body, origin.pointer)
        if value is MISSING or isinstance(value, dict | list):
            raise self._failed(
                origin.operation.label, f"setup: its answer has no id at {origin.pointer}"
            )
        return str(value)

    def body_for(self, operation: Operation, *, copy: int = 0) -> Any:
        """The ``copy``-th copy of the documented example body, its ids of real resources.

        Ids are spread over two resources across copies (a filter needs items of both); an
        operation without an example but with a required body gets ``{}``.
        """
        body = operation.example_body()
        if body is None:
            required = operation.request_body is not None and operation.request_body.required
            return {} if required else None
        body = varied(self.contract, request_schema(operation), body, copy)
        for ref in self.recipes.references(operation):
            if ref.in_example:
                body = with_field(body, ref.pointer, self.value_of(ref.identity, copy % 2))
        return body

    def request_for(self, operation: Operation) -> tuple[str, Any]:
        """A valid request of ``operation``: its filled path and its example body."""
        return operation.fill_path(self.path_values(operation)), self.body_for(operation)

    # --- what reads show --------------------------------------------------------------------

    def grow(
        self,
        read: Operation,
        count: int,
        *,
        items: str | None = None,
        values: Mapping[str, str] | None = None,
    ) -> None:
        """Make sure ``count`` writes added to ``read``'s answer for ``values``.

        Through the first writer that can land there; ``values`` are the read's main path
        values by default.
        """
        values = dict(values) if values is not None else self.path_values(read)
        for writer in self.recipes.writers(read, items):
            aim = self.recipes.aim(writer, read, values)
            if aim is None:
                continue
            key = (writer.operation_id, aim.key)
            for copy in range(self._grown.get(key, 0) + 1, count + 1):
                self.make(writer, aim=aim, copy=copy)
                self._grown[key] = copy
            return

    def prepare(self, write: Operation, values: Mapping[str, str]) -> None:
        """Run the writes ``x-parley-given`` names for ``write``, on its path values.

        Raises:
            SetupFailed: One of them did not succeed.
        """
        for given in self.recipes.given(write):
            response = self.call(given, {k: values[k] for k in given.path_parameters})
            self.expect(given, response, f"x-parley-given of {write.operation_id}")

    def known_ids(self) -> set[str]:
        """Every id this world's writes answered at a pointer their links pass on."""
        ids = set(self.extra_ids)
        for operation, exchange in self._log:
            for pointer in self.recipes.id_pointers(operation):
                value = pointer_get(exchange.response_body, pointer)
                if isinstance(value, str | int) and not isinstance(value, bool):
                    ids.add(str(value))
        return ids
