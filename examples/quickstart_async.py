"""The asynchronous client: the same methods, awaited.

``PARLEY_API_KEY=pk_... python examples/quickstart_async.py``
"""

import asyncio
import os

from parley import AsyncParley

url = os.environ.get("PARLEY_BASE_URL", "http://127.0.0.1:8080")
api_key = os.environ["PARLEY_API_KEY"]


async def main() -> None:
    """Lists conversations and streams an agent conversation's events."""
    async with AsyncParley(url, api_key=api_key) as aclient:
        agent = await aclient.agents.create("Research assistant")
        async for item in await aclient.conversations.list_conversations(per_page=50):
            print(item.id)
        async with aclient.agent_conversations.stream(str(agent.id), query="Hi") as events:
            async for event in events:
                print(event.event)


asyncio.run(main())
