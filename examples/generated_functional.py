"""The generated functional style: one module per operation, typed models in and out.

``PARLEY_API_KEY=pk_... python examples/generated_functional.py``
"""

import os

from parley_client import AuthenticatedClient
from parley_client.api.agents import create_agent
from parley_client.api.conversations import create_conversation, get_conversation
from parley_client.models import CreateAgentRequest, CreateConversationRequest

url = os.environ.get("PARLEY_BASE_URL", "http://127.0.0.1:8080")
api_key = os.environ["PARLEY_API_KEY"]

raw = AuthenticatedClient(base_url=url, token=api_key, prefix="", auth_header_name="X-API-Key")
with raw:
    agent = create_agent.sync(client=raw, body=CreateAgentRequest(name="Functional"))
    body = CreateConversationRequest(agent_id=agent.id, title="Generated client")
    created = create_conversation.sync(client=raw, body=body)
    conversation = get_conversation.sync(created.id, client=raw)
    print(conversation.id, conversation.title)
