from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.chat_response import ChatResponse
from ...models.problem import Problem
from ...models.send_message_request import SendMessageRequest
from ...types import UNSET, Response, Unset


def _get_kwargs(
    conversation_id: UUID,
    *,
    body: SendMessageRequest,
    idempotency_key: str | Unset = UNSET,
    last_event_id: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    if not isinstance(last_event_id, Unset):
        headers["Last-Event-ID"] = last_event_id

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/conversation/{conversation_id}/chat".format(
            conversation_id=quote(str(conversation_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ChatResponse | Problem | None:
    if response.status_code == 200:
        response_200 = ChatResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ChatResponse | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


# PARLEY public builder and parser: the keyword arguments of httpx.Client.request() for
# this operation, and the model its answer parses to (for clients that send the request
# themselves, such as Parley's overlays; no I/O in either).
request_kwargs = _get_kwargs
parse_response = _parse_response


def sync_detailed(
    conversation_id: UUID,
    *,
    client: AuthenticatedClient,
    body: SendMessageRequest,
    idempotency_key: str | Unset = UNSET,
    last_event_id: str | Unset = UNSET,
) -> Response[ChatResponse | Problem]:
    """Send a message and get the agent's reply

     Stores the user's message, asks the agent for a reply (given at most the
    conversation's `max_context_length` previous messages) and stores the reply.

    With `Accept: application/json` (the default) the answer is a `ChatResponse`: the
    assistant `message`, the stored `user_message`, and the recent `history` turns ending
    with this exchange. With `Accept: text/event-stream` the reply streams as Server-Sent
    Events: `start`, then `delta` events carrying the text, then `complete` carrying the
    stored assistant message (or `error` carrying a Problem). The reply is stored whole even
    when the client disconnects mid-stream.

    A conversation that is `ended` or `archived` takes no new messages (409).

    Args:
        conversation_id (UUID):
        idempotency_key (str | Unset):
        last_event_id (str | Unset):
        body (SendMessageRequest): The user's message.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ChatResponse | Problem]
    """

    kwargs = _get_kwargs(
        conversation_id=conversation_id,
        body=body,
        idempotency_key=idempotency_key,
        last_event_id=last_event_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    conversation_id: UUID,
    *,
    client: AuthenticatedClient,
    body: SendMessageRequest,
    idempotency_key: str | Unset = UNSET,
    last_event_id: str | Unset = UNSET,
) -> ChatResponse | Problem | None:
    """Send a message and get the agent's reply

     Stores the user's message, asks the agent for a reply (given at most the
    conversation's `max_context_length` previous messages) and stores the reply.

    With `Accept: application/json` (the default) the answer is a `ChatResponse`: the
    assistant `message`, the stored `user_message`, and the recent `history` turns ending
    with this exchange. With `Accept: text/event-stream` the reply streams as Server-Sent
    Events: `start`, then `delta` events carrying the text, then `complete` carrying the
    stored assistant message (or `error` carrying a Problem). The reply is stored whole even
    when the client disconnects mid-stream.

    A conversation that is `ended` or `archived` takes no new messages (409).

    Args:
        conversation_id (UUID):
        idempotency_key (str | Unset):
        last_event_id (str | Unset):
        body (SendMessageRequest): The user's message.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ChatResponse | Problem
    """

    return sync_detailed(
        conversation_id=conversation_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
        last_event_id=last_event_id,
    ).parsed


async def asyncio_detailed(
    conversation_id: UUID,
    *,
    client: AuthenticatedClient,
    body: SendMessageRequest,
    idempotency_key: str | Unset = UNSET,
    last_event_id: str | Unset = UNSET,
) -> Response[ChatResponse | Problem]:
    """Send a message and get the agent's reply

     Stores the user's message, asks the agent for a reply (given at most the
    conversation's `max_context_length` previous messages) and stores the reply.

    With `Accept: application/json` (the default) the answer is a `ChatResponse`: the
    assistant `message`, the stored `user_message`, and the recent `history` turns ending
    with this exchange. With `Accept: text/event-stream` the reply streams as Server-Sent
    Events: `start`, then `delta` events carrying the text, then `complete` carrying the
    stored assistant message (or `error` carrying a Problem). The reply is stored whole even
    when the client disconnects mid-stream.

    A conversation that is `ended` or `archived` takes no new messages (409).

    Args:
        conversation_id (UUID):
        idempotency_key (str | Unset):
        last_event_id (str | Unset):
        body (SendMessageRequest): The user's message.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ChatResponse | Problem]
    """

    kwargs = _get_kwargs(
        conversation_id=conversation_id,
        body=body,
        idempotency_key=idempotency_key,
        last_event_id=last_event_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    conversation_id: UUID,
    *,
    client: AuthenticatedClient,
    body: SendMessageRequest,
    idempotency_key: str | Unset = UNSET,
    last_event_id: str | Unset = UNSET,
) -> ChatResponse | Problem | None:
    """Send a message and get the agent's reply

     Stores the user's message, asks the agent for a reply (given at most the
    conversation's `max_context_length` previous messages) and stores the reply.

    With `Accept: application/json` (the default) the answer is a `ChatResponse`: the
    assistant `message`, the stored `user_message`, and the recent `history` turns ending
    with this exchange. With `Accept: text/event-stream` the reply streams as Server-Sent
    Events: `start`, then `delta` events carrying the text, then `complete` carrying the
    stored assistant message (or `error` carrying a Problem). The reply is stored whole even
    when the client disconnects mid-stream.

    A conversation that is `ended` or `archived` takes no new messages (409).

    Args:
        conversation_id (UUID):
        idempotency_key (str | Unset):
        last_event_id (str | Unset):
        body (SendMessageRequest): The user's message.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ChatResponse | Problem
    """

    return (
        await asyncio_detailed(
            conversation_id=conversation_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
            last_event_id=last_event_id,
        )
    ).parsed
