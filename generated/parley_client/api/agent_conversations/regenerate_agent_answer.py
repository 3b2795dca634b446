from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.agent_conversation import AgentConversation
from ...models.problem import Problem
from ...models.regenerate_agent_answer_request import RegenerateAgentAnswerRequest
from ...types import UNSET, Response, Unset


def _get_kwargs(
    agent_key: str,
    conversation_id: str,
    message_id: str,
    *,
    body: RegenerateAgentAnswerRequest | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/agents/{agent_key}/conversations/{conversation_id}/message/{message_id}/regenerate".format(
            agent_key=quote(str(agent_key), safe=""),
            conversation_id=quote(str(conversation_id), safe=""),
            message_id=quote(str(message_id), safe=""),
        ),
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AgentConversation | Problem | None:
    if response.status_code == 200:
        response_200 = AgentConversation.from_dict(response.json())

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
) -> Response[AgentConversation | Problem]:
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
    agent_key: str,
    conversation_id: str,
    message_id: str,
    *,
    client: AuthenticatedClient,
    body: RegenerateAgentAnswerRequest | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[AgentConversation | Problem]:
    """Regenerate agent response

     Replaces the bot response `messageId` with a newly generated answer to the same user
    query and keeps the rest of the history as it was. A `messageId` that names a user
    query, not a bot response, answers 422.

    Args:
        agent_key (str):
        conversation_id (str):
        message_id (str):
        idempotency_key (str | Unset):
        body (RegenerateAgentAnswerRequest | Unset): Optional model settings for the new answer.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AgentConversation | Problem]
    """

    kwargs = _get_kwargs(
        agent_key=agent_key,
        conversation_id=conversation_id,
        message_id=message_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    agent_key: str,
    conversation_id: str,
    message_id: str,
    *,
    client: AuthenticatedClient,
    body: RegenerateAgentAnswerRequest | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> AgentConversation | Problem | None:
    """Regenerate agent response

     Replaces the bot response `messageId` with a newly generated answer to the same user
    query and keeps the rest of the history as it was. A `messageId` that names a user
    query, not a bot response, answers 422.

    Args:
        agent_key (str):
        conversation_id (str):
        message_id (str):
        idempotency_key (str | Unset):
        body (RegenerateAgentAnswerRequest | Unset): Optional model settings for the new answer.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AgentConversation | Problem
    """

    return sync_detailed(
        agent_key=agent_key,
        conversation_id=conversation_id,
        message_id=message_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    agent_key: str,
    conversation_id: str,
    message_id: str,
    *,
    client: AuthenticatedClient,
    body: RegenerateAgentAnswerRequest | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[AgentConversation | Problem]:
    """Regenerate agent response

     Replaces the bot response `messageId` with a newly generated answer to the same user
    query and keeps the rest of the history as it was. A `messageId` that names a user
    query, not a bot response, answers 422.

    Args:
        agent_key (str):
        conversation_id (str):
        message_id (str):
        idempotency_key (str | Unset):
        body (RegenerateAgentAnswerRequest | Unset): Optional model settings for the new answer.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AgentConversation | Problem]
    """

    kwargs = _get_kwargs(
        agent_key=agent_key,
        conversation_id=conversation_id,
        message_id=message_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    agent_key: str,
    conversation_id: str,
    message_id: str,
    *,
    client: AuthenticatedClient,
    body: RegenerateAgentAnswerRequest | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> AgentConversation | Problem | None:
    """Regenerate agent response

     Replaces the bot response `messageId` with a newly generated answer to the same user
    query and keeps the rest of the history as it was. A `messageId` that names a user
    query, not a bot response, answers 422.

    Args:
        agent_key (str):
        conversation_id (str):
        message_id (str):
        idempotency_key (str | Unset):
        body (RegenerateAgentAnswerRequest | Unset): Optional model settings for the new answer.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AgentConversation | Problem
    """

    return (
        await asyncio_detailed(
            agent_key=agent_key,
            conversation_id=conversation_id,
            message_id=message_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
