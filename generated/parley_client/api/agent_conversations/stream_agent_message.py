from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.add_agent_message_request import AddAgentMessageRequest
from ...models.agent_complete_event import AgentCompleteEvent
from ...models.agent_start_event import AgentStartEvent
from ...models.delta_event import DeltaEvent
from ...models.error_event import ErrorEvent
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    agent_key: str,
    conversation_id: str,
    *,
    body: AddAgentMessageRequest,
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
        "url": "/agents/{agent_key}/conversations/{conversation_id}/messages/stream".format(
            agent_key=quote(str(agent_key), safe=""),
            conversation_id=quote(str(conversation_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> (
    AgentCompleteEvent
    | AgentStartEvent
    | DeltaEvent
    | ErrorEvent
    | str
    | Problem
    | None
):
    if response.status_code == 200:

        def _parse_response_200(
            data: object,
        ) -> AgentCompleteEvent | AgentStartEvent | DeltaEvent | ErrorEvent | str:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_agent_stream_event_type_0 = AgentStartEvent.from_dict(
                    data
                )

                return componentsschemas_agent_stream_event_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_agent_stream_event_type_1 = DeltaEvent.from_dict(data)

                return componentsschemas_agent_stream_event_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_agent_stream_event_type_2 = (
                    AgentCompleteEvent.from_dict(data)
                )

                return componentsschemas_agent_stream_event_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_agent_stream_event_type_3 = ErrorEvent.from_dict(data)

                return componentsschemas_agent_stream_event_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(
                AgentCompleteEvent | AgentStartEvent | DeltaEvent | ErrorEvent | str,
                data,
            )

        response_200 = _parse_response_200(response.text)

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
) -> Response[
    AgentCompleteEvent | AgentStartEvent | DeltaEvent | ErrorEvent | str | Problem
]:
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
    *,
    client: AuthenticatedClient,
    body: AddAgentMessageRequest,
    idempotency_key: str | Unset = UNSET,
    last_event_id: str | Unset = UNSET,
) -> Response[
    AgentCompleteEvent | AgentStartEvent | DeltaEvent | ErrorEvent | str | Problem
]:
    """Add message with streaming

     Same as `addAgentMessage`, with the answer streamed as Server-Sent Events: `start`,
    `delta` events carrying the text, then `complete` carrying the whole conversation (or
    `error` carrying a Problem).

    Args:
        agent_key (str):
        conversation_id (str):
        idempotency_key (str | Unset):
        last_event_id (str | Unset):
        body (AddAgentMessageRequest): A follow-up query.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AgentCompleteEvent | AgentStartEvent | DeltaEvent | ErrorEvent | str | Problem]
    """

    kwargs = _get_kwargs(
        agent_key=agent_key,
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
    agent_key: str,
    conversation_id: str,
    *,
    client: AuthenticatedClient,
    body: AddAgentMessageRequest,
    idempotency_key: str | Unset = UNSET,
    last_event_id: str | Unset = UNSET,
) -> (
    AgentCompleteEvent
    | AgentStartEvent
    | DeltaEvent
    | ErrorEvent
    | str
    | Problem
    | None
):
    """Add message with streaming

     Same as `addAgentMessage`, with the answer streamed as Server-Sent Events: `start`,
    `delta` events carrying the text, then `complete` carrying the whole conversation (or
    `error` carrying a Problem).

    Args:
        agent_key (str):
        conversation_id (str):
        idempotency_key (str | Unset):
        last_event_id (str | Unset):
        body (AddAgentMessageRequest): A follow-up query.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AgentCompleteEvent | AgentStartEvent | DeltaEvent | ErrorEvent | str | Problem
    """

    return sync_detailed(
        agent_key=agent_key,
        conversation_id=conversation_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
        last_event_id=last_event_id,
    ).parsed


async def asyncio_detailed(
    agent_key: str,
    conversation_id: str,
    *,
    client: AuthenticatedClient,
    body: AddAgentMessageRequest,
    idempotency_key: str | Unset = UNSET,
    last_event_id: str | Unset = UNSET,
) -> Response[
    AgentCompleteEvent | AgentStartEvent | DeltaEvent | ErrorEvent | str | Problem
]:
    """Add message with streaming

     Same as `addAgentMessage`, with the answer streamed as Server-Sent Events: `start`,
    `delta` events carrying the text, then `complete` carrying the whole conversation (or
    `error` carrying a Problem).

    Args:
        agent_key (str):
        conversation_id (str):
        idempotency_key (str | Unset):
        last_event_id (str | Unset):
        body (AddAgentMessageRequest): A follow-up query.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AgentCompleteEvent | AgentStartEvent | DeltaEvent | ErrorEvent | str | Problem]
    """

    kwargs = _get_kwargs(
        agent_key=agent_key,
        conversation_id=conversation_id,
        body=body,
        idempotency_key=idempotency_key,
        last_event_id=last_event_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    agent_key: str,
    conversation_id: str,
    *,
    client: AuthenticatedClient,
    body: AddAgentMessageRequest,
    idempotency_key: str | Unset = UNSET,
    last_event_id: str | Unset = UNSET,
) -> (
    AgentCompleteEvent
    | AgentStartEvent
    | DeltaEvent
    | ErrorEvent
    | str
    | Problem
    | None
):
    """Add message with streaming

     Same as `addAgentMessage`, with the answer streamed as Server-Sent Events: `start`,
    `delta` events carrying the text, then `complete` carrying the whole conversation (or
    `error` carrying a Problem).

    Args:
        agent_key (str):
        conversation_id (str):
        idempotency_key (str | Unset):
        last_event_id (str | Unset):
        body (AddAgentMessageRequest): A follow-up query.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AgentCompleteEvent | AgentStartEvent | DeltaEvent | ErrorEvent | str | Problem
    """

    return (
        await asyncio_detailed(
            agent_key=agent_key,
            conversation_id=conversation_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
            last_event_id=last_event_id,
        )
    ).parsed
