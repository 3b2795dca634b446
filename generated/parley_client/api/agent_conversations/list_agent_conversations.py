from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.agent_conversation import AgentConversation
from ...models.problem import Problem
from ...types import Response


def _get_kwargs(
    agent_key: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/agents/{agent_key}/conversations".format(
            agent_key=quote(str(agent_key), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | list[AgentConversation] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = AgentConversation.from_dict(response_200_item_data)

            response_200.append(response_200_item)

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
) -> Response[Problem | list[AgentConversation]]:
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
    *,
    client: AuthenticatedClient,
) -> Response[Problem | list[AgentConversation]]:
    """List agent conversations

     Returns the caller's conversations with this agent, most recently updated first. An
    `agentKey` that names no agent of the tenant answers 404.

    Args:
        agent_key (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[AgentConversation]]
    """

    kwargs = _get_kwargs(
        agent_key=agent_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    agent_key: str,
    *,
    client: AuthenticatedClient,
) -> Problem | list[AgentConversation] | None:
    """List agent conversations

     Returns the caller's conversations with this agent, most recently updated first. An
    `agentKey` that names no agent of the tenant answers 404.

    Args:
        agent_key (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[AgentConversation]
    """

    return sync_detailed(
        agent_key=agent_key,
        client=client,
    ).parsed


async def asyncio_detailed(
    agent_key: str,
    *,
    client: AuthenticatedClient,
) -> Response[Problem | list[AgentConversation]]:
    """List agent conversations

     Returns the caller's conversations with this agent, most recently updated first. An
    `agentKey` that names no agent of the tenant answers 404.

    Args:
        agent_key (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | list[AgentConversation]]
    """

    kwargs = _get_kwargs(
        agent_key=agent_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    agent_key: str,
    *,
    client: AuthenticatedClient,
) -> Problem | list[AgentConversation] | None:
    """List agent conversations

     Returns the caller's conversations with this agent, most recently updated first. An
    `agentKey` that names no agent of the tenant answers 404.

    Args:
        agent_key (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | list[AgentConversation]
    """

    return (
        await asyncio_detailed(
            agent_key=agent_key,
            client=client,
        )
    ).parsed
