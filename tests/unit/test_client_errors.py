"""Every 4xx/5xx status maps to its error class, carrying status, headers and the Problem."""

from __future__ import annotations

import json

import httpx
import parley
import pytest
from parley import (
    APIResponseValidationError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    UnprocessableEntityError,
)

from .client_fakes import (
    AGENT_ID,
    CONVERSATION_ID,
    Answer,
    Script,
    async_client,
    conversation,
    problem,
    respond,
    sync_client,
)

STATUSES = [
    (400, BadRequestError),
    (401, AuthenticationError),
    (403, PermissionDeniedError),
    (404, NotFoundError),
    (409, ConflictError),
    (413, PayloadTooLargeError),
    (422, UnprocessableEntityError),
    (429, RateLimitError),
    (500, InternalServerError),
    (502, InternalServerError),
    (503, InternalServerError),
    (418, APIStatusError),
]


@pytest.mark.parametrize(("status", "error"), STATUSES)
def test_status_maps_to_error_class(status: int, error: type[APIStatusError]) -> None:
    body = {**problem(status, "Nope"), "errors": [{"pointer": "/agent_id", "detail": "bad"}]}
    script = Script(respond(status, body, {"X-Request-Id": "r-1"}))
    with sync_client(script, max_retries=0) as client, pytest.raises(error) as info:
        client.conversations.get_conversation(CONVERSATION_ID)
    raised = info.value
    assert type(raised) is error
    assert raised.status_code == status
    assert raised.headers["x-request-id"] == "r-1"
    assert raised.problem is not None
    assert raised.problem.title == "Nope" and raised.problem.status == status
    assert raised.problem.errors and raised.problem.errors[0].pointer == "/agent_id"
    assert str(status) in str(raised) and "Nope" in str(raised)


def test_hierarchy() -> None:
    assert issubclass(parley.APITimeoutError, parley.APIConnectionError)
    assert issubclass(parley.APIConnectionError, parley.ParleyError)
    for _, error in STATUSES:
        assert issubclass(error, APIStatusError)
    assert issubclass(APIStatusError, parley.ParleyError)


def test_error_without_problem_body() -> None:
    script = Script(respond(404))
    with sync_client(script) as client, pytest.raises(NotFoundError) as info:
        client.messages.delete_message(CONVERSATION_ID)
    assert info.value.problem is None


@pytest.mark.anyio
async def test_async_errors_map_the_same_way() -> None:
    script = Script(respond(409, problem(409, "Conversation closed")))
    async with async_client(script) as client:
        with pytest.raises(ConflictError) as info:
            await client.messages.send_message(CONVERSATION_ID, "hi")
    assert info.value.problem is not None and info.value.problem.title == "Conversation closed"


def _answer(status: int, body: bytes, content_type: str = "application/json") -> Answer:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=body, headers={"content-type": content_type})

    return answer


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (json.dumps(conversation(id=None, status="nonsense")).encode(), "application/json"),
        (b'{"unexpected": true}', "application/json"),
        (b"<html>ok</html>", "text/html"),
    ],
    ids=["wrong field values", "missing fields", "not json"],
)
def test_unparseable_2xx_raises_validation_error(body: bytes, content_type: str) -> None:
    script = Script(_answer(200, body, content_type))
    with sync_client(script) as client, pytest.raises(APIResponseValidationError) as info:
        client.conversations.get_conversation(CONVERSATION_ID)
    raised = info.value
    assert isinstance(raised, parley.ParleyError) and not isinstance(raised, APIStatusError)
    assert raised.status_code == 200
    assert raised.body == body
    assert raised.headers["content-type"] == content_type
    assert f"GET /v1/conversation/{CONVERSATION_ID}" in str(raised)
    assert isinstance(raised.__cause__, KeyError | ValueError | TypeError)
    assert len(script.requests) == 1  # not retried


@pytest.mark.anyio
async def test_async_unparseable_2xx_raises_validation_error() -> None:
    script = Script(_answer(201, b'{"id": "not-a-conversation"}'))
    async with async_client(script) as client:
        with pytest.raises(APIResponseValidationError) as info:
            await client.conversations.create_conversation(AGENT_ID)
    assert info.value.status_code == 201 and info.value.body == b'{"id": "not-a-conversation"}'
