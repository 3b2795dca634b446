"""The retry loop of every call and stream opening (the policy is in ``parley._retries``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx

from .. import _retries
from .._retries import A, Retrier


async def run(send: Callable[[], Awaitable[A]], retrier: Retrier) -> A:
    """Call ``send`` until its answer is final or the retries are spent.

    Args:
        send: Sends the request once and returns the answer.
        retrier: Counts the attempts and says how long to wait before the next.

    Returns:
        The final answer: a success, a status not worth retrying, or the last one.

    Raises:
        APIConnectionError: The last attempt got no answer (APITimeoutError: it timed out).
    """
    while True:
        try:
            answer = await send()
        except httpx.TransportError as exc:
            await _retries.async_sleep(retrier.after_error(exc))
            continue
        delay = retrier.after_answer(answer)
        if delay is None:
            return answer
        await _retries.async_sleep(delay)
