"""A stream whose server goes quiet raises APITimeoutError (real sockets, slow responder)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from parley import APITimeoutError, AsyncParley, Parley, StreamDeltaEvent
from parley_server.testing import EmbeddedServer, start_server

PAUSE_SECONDS = 2.0  # between the reply's pieces
IDLE_TIMEOUT = 0.3  # far below the pause, so the outcome does not depend on machine speed


@pytest.fixture(scope="module")
def slow_server() -> Iterator[EmbeddedServer]:
    with start_server(token_delay_seconds=PAUSE_SECONDS) as running:
        yield running
        running.kill()  # it would finish the abandoned replies before a graceful stop


def test_idle_stream_times_out(slow_server: EmbeddedServer) -> None:
    with Parley(slow_server.base_url, api_key=slow_server.tenant.write_key) as client:
        agent = client.agents.create("Slow agent")
        conversation = client.conversations.create_conversation(agent.id)
        seen = []
        with (
            client.messages.send_message_stream(
                conversation.id, "hello there", idle_timeout=IDLE_TIMEOUT
            ) as stream,
            pytest.raises(APITimeoutError, match="no event"),
        ):
            for event in stream:
                seen.append(event)
    assert [event.event for event in seen] == ["start", "delta"]
    assert isinstance(seen[1], StreamDeltaEvent)


@pytest.mark.anyio
async def test_async_idle_stream_times_out(slow_server: EmbeddedServer) -> None:
    async with AsyncParley(slow_server.base_url, api_key=slow_server.tenant.write_key) as client:
        agent = await client.agents.create("Slow agent")
        stream = client.agent_conversations.stream(
            str(agent.id), "quiet please", idle_timeout=IDLE_TIMEOUT
        )
        async with stream:
            with pytest.raises(APITimeoutError):
                await stream.final_message()
        assert stream.last_event_id == 2
