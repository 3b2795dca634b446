"""A small in-memory server of the library contract (`tests/library/openapi.yaml`).

Routes and request validation are read from the document (each operation's parameters and body
checked against their schemas); the handlers are the library's behaviour. Two tenants, three
keys (`Keys`). `create_app(fault=...)` breaks one promise of the document on purpose, one
fault per promise kind (`FAULTS`), to show the harness catching it.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema_rs
from parley_spec import Contract, Operation, load_contract
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

DOCUMENT = Path(__file__).with_name("openapi.yaml")
FAULTS = {
    "order": "listBooks answers its default order reversed (oldest first)",
    "filter": "listLoans ignores its status filter",
    "visibility": "listBooks still shows withdrawn books",
    "effect": "updateBook keeps the old title",
    "count": "a book's loan_count is one too many",
    "timestamps": "an open loan answers updated_at a second before lent_at",
    "derived": "a loan's minutes_out is one minute too long",
    "keep": "updateBook also changes the author",
    "repeat": "a book's genre, once changed, ignores later changes",
    "lands": "a loan is listed under the newest book, not the one lent",
    "idempotent": "restoring a book on the shelf moves its updated_at",
    "stream": "writeBlurb numbers its delta events from 1",
    "disconnect": "a blurb stream its client resumed leaves the blurb stored cut in half",
    "outcome": "returning a returned loan answers 200 again, not 409",
    "read_back": "lendBook answers the borrower's name in capitals, and stores it as sent",
    "answer": "returnLoan answers the loan still open, and stores it returned",
    "convention": "a 404 Problem says status 400 (the convention problem-status)",
}
"""One broken behaviour per promise kind: the fault's name is the kind it breaks."""


class Problem(Exception):
    """An answer of Problem Details."""

    def __init__(self, status: int, title: str, detail: str = "") -> None:
        super().__init__(title)
        self.status, self.title, self.detail = status, title, detail


@dataclass(frozen=True)
class Keys:
    """The API keys: the first tenant's write and read-only keys, and a second tenant's."""

    writer: str = field(default_factory=lambda: f"lib-{uuid.uuid4()}")
    reader: str = field(default_factory=lambda: f"lib-{uuid.uuid4()}")
    other: str = field(default_factory=lambda: f"lib-{uuid.uuid4()}")


@dataclass
class Tenant:
    """One tenant's books, loans and idempotency keys."""

    books: dict[str, dict[str, Any]] = field(default_factory=dict)
    loans: dict[str, dict[str, Any]] = field(default_factory=dict)
    replays: dict[str, tuple[Any, int, Any]] = field(default_factory=dict)


class Library:
    """The library's behaviour, per tenant; ``fault`` breaks one promise (see `FAULTS`)."""

    def __init__(self, fault: str | None) -> None:
        self.fault = fault
        self.last = dt.datetime.now(dt.UTC)
        self.regenred: set[str] = set()
        self.filed: dict[str, str] = {}

    def now(self) -> str:
        """A time after every time answered so far (to the microsecond)."""
        self.last = max(dt.datetime.now(dt.UTC), self.last + dt.timedelta(microseconds=1))
        return self.last.strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    def book_out(self, tenant: Tenant, book: dict[str, Any]) -> dict[str, Any]:
        count = sum(loan["book_id"] == book["id"] for loan in tenant.loans.values())
        return {**book, "loan_count": count + (self.fault == "count")}

    def loan_out(self, loan: dict[str, Any]) -> dict[str, Any]:
        lent = dt.datetime.fromisoformat(loan["lent_at"].replace("Z", "+00:00"))
        minutes = 0.0
        if loan["returned_at"] is not None:
            back = dt.datetime.fromisoformat(loan["returned_at"].replace("Z", "+00:00"))
            minutes = round((back - lent).total_seconds() / 60, 4)
        out = {**loan, "minutes_out": minutes + (self.fault == "derived")}
        if self.fault == "timestamps" and loan["status"] == "open":
            stamp = (lent - dt.timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            out["updated_at"] = stamp
        return out

    def book(self, tenant: Tenant, book_id: str) -> dict[str, Any]:
        book = tenant.books.get(book_id)
        if book is None or book["deleted_at"] is not None:
            raise Problem(404, "Not Found", f"no book {book_id}")
        return book

    def loan(self, tenant: Tenant, loan_id: str) -> dict[str, Any]:
        loan = tenant.loans.get(loan_id)
        if loan is None:
            raise Problem(404, "Not Found", f"no loan {loan_id}")
        self.book(tenant, loan["book_id"])
        return loan

    def page(self, tenant: Tenant, books: list[dict[str, Any]], query: dict[str, Any]) -> Any:
        page, per_page = query.get("page", 1), query.get("per_page", 20)
        start = (page - 1) * per_page
        return {
            "items": [self.book_out(tenant, b) for b in books[start : start + per_page]],
            "page": page,
            "per_page": per_page,
            "total": len(books),
            "pages": -(-len(books) // per_page),
        }

    # --- operations: (tenant, path, query, body) -> (status, body) ---------------------------

    def create_book(self, t: Tenant, path: Any, query: Any, body: Any) -> tuple[int, Any]:
        stamp = self.now()
        book = {"id": str(uuid.uuid4()), **body, "created_at": stamp}
        book.update(blurb=None, updated_at=stamp, deleted_at=None)
        t.books[book["id"]] = book
        return 201, self.book_out(t, book)

    def list_books(self, t: Tenant, path: Any, query: Any, body: Any) -> tuple[int, Any]:
        shown = self.fault == "visibility"
        books = [b for b in t.books.values() if shown or b["deleted_at"] is None]
        books = [b for b in books if query.get("genre") in (None, b["genre"])]
        key = query.get("sort", "created_at")
        reverse = query.get("order", "desc") == "desc"
        if self.fault == "order" and "sort" not in query and "order" not in query:
            reverse = not reverse
        books.sort(key=lambda b: (b[key], b["id"]), reverse=reverse)
        return 200, self.page(t, books, query)

    def list_withdrawn(self, t: Tenant, path: Any, query: Any, body: Any) -> tuple[int, Any]:
        books = [b for b in t.books.values() if b["deleted_at"] is not None]
        books.sort(key=lambda b: b["deleted_at"], reverse=True)
        return 200, self.page(t, books, query)

    def get_book(self, t: Tenant, path: Any, query: Any, body: Any) -> tuple[int, Any]:
        return 200, self.book_out(t, self.book(t, path["book_id"]))

    def update_book(self, t: Tenant, path: Any, query: Any, body: Any) -> tuple[int, Any]:
        book = self.book(t, path["book_id"])
        if self.fault == "effect":
            body = {k: v for k, v in body.items() if k != "title"}
        if self.fault == "repeat" and "genre" in body:
            if book["id"] in self.regenred:
                body = {k: v for k, v in body.items() if k != "genre"}
            self.regenred.add(book["id"])
        book.update(body, updated_at=self.now())
        if self.fault == "keep":
            book["author"] = "Anonymous"
        return 200, self.book_out(t, book)

    def delete_book(self, t: Tenant, path: Any, query: Any, body: Any) -> tuple[int, Any]:
        self.book(t, path["book_id"])["deleted_at"] = self.now()
        return 204, None

    def restore_book(self, t: Tenant, path: Any, query: Any, body: Any) -> tuple[int, Any]:
        book = t.books.get(path["book_id"])
        if book is None:
            raise Problem(404, "Not Found", f"no book {path['book_id']}")
        if book["deleted_at"] is not None or self.fault == "idempotent":
            book.update(deleted_at=None, updated_at=self.now())
        return 200, self.book_out(t, book)

    def write_blurb(self, t: Tenant, path: Any, query: Any, body: Any) -> tuple[int, Any]:
        book = self.book(t, path["book_id"])
        words = f"A {book['genre']} book by {book['author']}: {book['title']}.".split(" ")
        pieces = [word + " " for word in words[:-1]] + words[-1:]
        book.update(blurb="".join(pieces), updated_at=self.now())
        first = 1 if self.fault == "stream" else 0
        events = [("start", {"book_id": book["id"]})]
        events += [("delta", {"index": first + i, "content": p}) for i, p in enumerate(pieces)]
        events.append(("complete", self.book_out(t, book)))
        return 200, [(i, name, json.dumps(data)) for i, (name, data) in enumerate(events, 1)]

    def lend_book(self, t: Tenant, path: Any, query: Any, body: Any) -> tuple[int, Any]:
        self.book(t, path["book_id"])
        stamp = self.now()
        loan = {"id": str(uuid.uuid4()), "book_id": path["book_id"], **body, "status": "open"}
        loan.update(lent_at=stamp, returned_at=None, updated_at=stamp)
        t.loans[loan["id"]] = loan
        if self.fault == "lands":
            newest = max(t.books.values(), key=lambda b: b["created_at"])
            self.filed[loan["id"]] = newest["id"]
        if self.fault == "read_back":
            return 201, {**self.loan_out(loan), "borrower": loan["borrower"].upper()}
        return 201, self.loan_out(loan)

    def list_loans(self, t: Tenant, path: Any, query: Any, body: Any) -> tuple[int, Any]:
        self.book(t, path["book_id"])
        status = None if self.fault == "filter" else query.get("status")
        loans = [
            loan
            for loan in t.loans.values()
            if self.filed.get(loan["id"], loan["book_id"]) == path["book_id"]
            and status in (None, loan["status"])
        ]
        return 200, [self.loan_out(loan) for loan in sorted(loans, key=lambda x: x["lent_at"])]

    def clear_loans(self, t: Tenant, path: Any, query: Any, body: Any) -> tuple[int, Any]:
        self.book(t, path["book_id"])
        gone = [i for i, loan in t.loans.items() if loan["book_id"] == path["book_id"]]
        for loan_id in gone:
            del t.loans[loan_id]
        return 200, {"book_id": path["book_id"], "removed": len(gone)}

    def get_loan(self, t: Tenant, path: Any, query: Any, body: Any) -> tuple[int, Any]:
        return 200, self.loan_out(self.loan(t, path["loan_id"]))

    def return_loan(self, t: Tenant, path: Any, query: Any, body: Any) -> tuple[int, Any]:
        loan = self.loan(t, path["loan_id"])
        if loan["status"] == "returned" and self.fault != "outcome":
            raise Problem(409, "Conflict", "the loan was returned already")
        stamp = self.now()
        loan.update(status="returned", returned_at=stamp, updated_at=stamp)
        if self.fault == "answer":
            return 200, {**self.loan_out(loan), "status": "open"}
        return 200, self.loan_out(loan)


Handler = Callable[[Tenant, Any, Any, Any], tuple[int, Any]]
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"]


def _validator(contract: Contract, schema: Any) -> Any:
    components = contract.document.get("components", {})
    return jsonschema_rs.Draft202012Validator(
        {"components": components, **contract.resolve(schema)}, validate_formats=True
    )


def _coerce(text: str, schema: Any) -> Any:
    if schema.get("type") == "integer":
        try:
            return int(text)
        except ValueError as exc:
            raise Problem(400, "Bad Request", f"{text!r} is not an integer") from exc
    return text


class Endpoint:
    """One operation: its request checked against the contract, then its handler."""

    def __init__(self, contract: Contract, operation: Operation, handler: Handler) -> None:
        self.operation = operation
        self.handler = handler
        self.params = [
            (p, contract.resolve(p.schema), _validator(contract, p.schema))
            for p in operation.parameters
        ]
        body = operation.request_body
        media = body.content.get("application/json") if body is not None else None
        self.body = _validator(contract, media.schema) if media is not None else None

    async def request_values(self, request: Request) -> tuple[dict[str, Any], dict[str, Any], Any]:
        path: dict[str, Any] = {}
        query: dict[str, Any] = {}
        sources = {"path": request.path_params, "query": request.query_params}
        for param, schema, validator in self.params:
            raw = sources.get(param.location, request.headers).get(param.name)
            if raw is None:
                if param.required:
                    raise Problem(400, "Bad Request", f"{param.name} is missing")
                continue
            value = _coerce(raw, schema)
            error = next(iter(validator.iter_errors(value)), None)
            if error is not None:
                raise Problem(400, "Bad Request", f"{param.name}: {error.message}")
            {"path": path, "query": query}.get(param.location, {})[param.name] = value
        body = None
        if self.body is not None:
            try:
                body = json.loads(await request.body())
            except ValueError as exc:
                raise Problem(400, "Bad Request", "the body is not JSON") from exc
            error = next(iter(self.body.iter_errors(body)), None)
            if error is not None:
                raise Problem(400, "Bad Request", f"body: {error.message}")
        return path, query, body


def create_app(keys: Keys, fault: str | None = None) -> Starlette:
    """The library server.

    Args:
        keys: The API keys it accepts.
        fault: A key of `FAULTS` to break that promise, or None for a healthy server.
    """
    contract = load_contract(DOCUMENT)
    library = Library(fault)
    tenants = {"first": Tenant(), "second": Tenant()}
    roles = {
        keys.writer: ("first", {"read", "write"}),
        keys.reader: ("first", {"read"}),
        keys.other: ("second", {"read", "write"}),
    }
    handlers: dict[str, Handler] = {
        "createBook": library.create_book,
        "listBooks": library.list_books,
        "listWithdrawnBooks": library.list_withdrawn,
        "getBook": library.get_book,
        "updateBook": library.update_book,
        "deleteBook": library.delete_book,
        "restoreBook": library.restore_book,
        "lendBook": library.lend_book,
        "listLoans": library.list_loans,
        "clearLoans": library.clear_loans,
        "getLoan": library.get_loan,
        "returnLoan": library.return_loan,
        "writeBlurb": library.write_blurb,
    }

    def serve(endpoints: dict[str, Endpoint]) -> Callable[[Request], Awaitable[Response]]:
        async def route(request: Request) -> Response:
            endpoint = endpoints.get(request.method)
            if endpoint is None:  # a literal path's route answers for every method
                allow = {"Allow": ", ".join(endpoints)}
                return _problem(Problem(405, "Method Not Allowed"), allow)
            try:
                found = roles.get(request.headers.get("x-api-key", ""))
                if found is None:
                    raise Problem(401, "Unauthorized", "no key, or an unknown one")
                if not endpoint.operation.scopes <= found[1]:
                    raise Problem(403, "Forbidden", "the key lacks a role")
                path, query, body = await endpoint.request_values(request)
                tenant = tenants[found[0]]
                key = request.headers.get("idempotency-key")
                if not endpoint.operation.takes_idempotency_key:
                    key = None
                sent = (request.method, request.url.path, body)
                if key is not None and key in tenant.replays:
                    first, status, answer = tenant.replays[key]
                    if first != sent:
                        raise Problem(422, "Unprocessable Content", "the key was used before")
                    after = request.headers.get("last-event-id")
                    if library.fault == "disconnect" and after and "book_id" in path:
                        cut = tenant.books[path["book_id"]]
                        cut["blurb"] = cut["blurb"][: len(cut["blurb"]) // 2]
                else:
                    status, answer = endpoint.handler(tenant, path, query, body)
                    if key is not None:
                        tenant.replays[key] = (sent, status, answer)
            except Problem as problem:
                claimed = 400 if fault == "convention" and problem.status == 404 else None
                return _problem(problem, claimed=claimed)
            if status == 204:
                return Response(status_code=204)
            if endpoint.operation.streams:
                resume = int(request.headers.get("last-event-id") or 0)
                text = "".join(
                    f"id: {i}\nevent: {name}\ndata: {data}\n\n"
                    for i, name, data in answer
                    if i > resume
                )
                return Response(text, status, media_type="text/event-stream")
            return JSONResponse(answer, status)

        return route

    by_path: dict[str, dict[str, Endpoint]] = {}
    for operation in contract.operations:
        endpoint = Endpoint(contract, operation, handlers[operation.operation_id])
        by_path.setdefault(operation.path, {})[operation.method] = endpoint
    routes = [
        Route(path, serve(endpoints), methods=ALL_METHODS)
        for path, endpoints in sorted(by_path.items(), key=lambda item: item[0].count("{"))
    ]

    async def unrouted(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)  # an unknown path (404)
        return _problem(Problem(exc.status_code, exc.detail), exc.headers)

    return Starlette(routes=routes, exception_handlers={HTTPException: unrouted})


def _problem(
    problem: Problem, headers: Mapping[str, str] | None = None, *, claimed: int | None = None
) -> Response:
    """The Problem answer; its body says `claimed` as its status when given (a fault)."""
    status = claimed or problem.status
    document = {"type": "about:blank", "title": problem.title, "status": status}
    document |= {"detail": problem.detail} if problem.detail else {}
    media_type = "application/problem+json"
    return JSONResponse(document, problem.status, headers=headers, media_type=media_type)
