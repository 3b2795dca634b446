"""`pagination_consistency`: the pages of a list agree with each other while nothing changes.

For every selected GET operation with `page` and `per_page` query parameters: read the first
page to learn `total`, pick a page size that splits it into a few pages, walk every page and
one past the end. Each page must echo its `page` and `per_page`, report the same `total` and
`pages = ceil(total / per_page)`, hold `min(per_page, what is left)` items; no item id may
appear twice, and the pages together must hold `total` items.
"""

from __future__ import annotations

import math
from typing import Any

from parley_spec import Operation

from parley_contract.checks.context import CheckContext, judge
from parley_contract.data import SetupFailed, World
from parley_contract.results import CheckOutcome

__all__ = ["CHECK", "paginated", "pagination_consistency"]

CHECK = "pagination_consistency"
# Pages walked at most per list; a larger list is read with bigger pages (up to 100).
MAX_PAGES = 6


def paginated(operation: Operation) -> bool:
    """Whether ``operation`` is a read with ``page`` and ``per_page`` query parameters."""
    return (
        operation.method == "GET"
        and operation.parameter("page", "query") is not None
        and operation.parameter("per_page", "query") is not None
    )


def pagination_consistency(ctx: CheckContext) -> list[CheckOutcome]:
    """Walk the pages of every selected paginated list.

    Returns:
        One outcome per paginated operation.
    """
    outcomes: list[CheckOutcome] = []
    lists = [op for op in ctx.operations if paginated(op)]
    if not lists:
        return outcomes
    with ctx.world(CHECK, outcomes) as world:
        for operation in lists:
            try:
                world.grow(operation, 2)  # something to page through
                outcomes.append(_walk(world, operation))
            except SetupFailed as failed:
                outcomes.append(failed.outcome)
    return outcomes


def _walk(world: World, operation: Operation) -> CheckOutcome:
    path, _ = world.request_for(operation)
    client = world.client
    first = client.request("GET", path, params={"page": 1, "per_page": 100})
    if first.status_code != 200:
        return judge(operation, CHECK, client, first, f"page 1 answered {first.status_code}")
    total = _field(first.json(), "total")
    if not isinstance(total, int):
        return judge(operation, CHECK, client, first, f"total is {total!r}, not a count")
    per_page = min(100, max(1, math.ceil(total / (MAX_PAGES - 1)), 2))
    pages = math.ceil(total / per_page)
    seen: list[str] = []
    response = first
    for page in range(1, pages + 2):
        response = client.request("GET", path, params={"page": page, "per_page": per_page})
        problem = _page_problem(response, page, per_page, total, pages, seen)
        if problem is not None:
            return judge(operation, CHECK, client, response, problem)
    if len(seen) != total:
        problem = f"the {pages} pages hold {len(seen)} items, total says {total}"
        return judge(operation, CHECK, client, response, problem)
    return judge(operation, CHECK, client, response, None)


def _field(answer: Any, name: str) -> Any:
    return answer.get(name) if isinstance(answer, dict) else None


def _page_problem(
    response: Any, page: int, per_page: int, total: int, pages: int, seen: list[str]
) -> str | None:
    """What is wrong with one page, or None; adds its item ids to `seen`."""
    where = f"page {page} of per_page={per_page}"
    if response.status_code != 200:
        return f"{where} answered {response.status_code}"
    answer = response.json()
    echoed = {name: _field(answer, name) for name in ("page", "per_page", "total", "pages")}
    expected = {"page": page, "per_page": per_page, "total": total, "pages": pages}
    wrong = {k: v for k, v in echoed.items() if v != expected[k]}
    if wrong:
        return f"{where}: {wrong}, expected { ({k: expected[k] for k in wrong}) }"
    items = _field(answer, "items")
    if not isinstance(items, list):
        return f"{where}: items is not a list"
    want = max(0, min(per_page, total - (page - 1) * per_page))
    if len(items) != want:
        return f"{where} holds {len(items)} items, expected {want} of total {total}"
    ids = [str(item.get("id")) for item in items if isinstance(item, dict)]
    twice = sorted(set(ids) & set(seen))
    if twice:
        return f"{where} repeats items already seen on earlier pages: {twice[:3]}"
    seen.extend(ids)
    return None
