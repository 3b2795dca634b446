"""The synchronous client, end to end: an agent, a conversation, messages, a stream, errors.

Run it against `parley serve` with the write key the server printed on its first start:
``PARLEY_API_KEY=pk_... python examples/quickstart.py``
"""

import os
import uuid

from parley import MessageService, NotFoundError, Parley

url = os.environ.get("PARLEY_BASE_URL", "http://127.0.0.1:8080")
api_key = os.environ["PARLEY_API_KEY"]  # api_key= sends X-API-Key; bearer_token= sends a JWT

with Parley(url, api_key=api_key, max_retries=2, timeout=30) as client:
    agent = client.agents.create("Pricing assistant", "Answers plan questions")
    conversation = client.conversations.create_conversation(agent.id, title="Widget session")
    reply = client.messages.send_message(conversation.id, "Hello!")
    print(reply.history[-1].assistant_response)

    page = client.conversations.list_conversation_messages(conversation.id, per_page=50)
    for message in page:  # every page, lazily, one request per page
        print(message.role, message.content)

    with client.messages.send_message_stream(conversation.id, "Tell me more") as stream:
        for text in stream.text_deltas():
            print(text, end="", flush=True)
        final = stream.final_message()  # the stored assistant Message
    print()

    strict = client.with_options(max_retries=0)  # a copy sharing the pool; the parent is unchanged
    try:
        strict.conversations.get_conversation(uuid.uuid4(), headers={"X-Trace": "1"}, timeout=5)
    except NotFoundError as error:
        print(error.status_code, error.problem.title if error.problem else error)

    # Service style (the seed's ConversationService / MessageService / AnalyticsService).
    answer = MessageService(client).send_message(conversation.id, content="Pro or Enterprise?")

    # Agent conversations (on the reference server an agent's key is its id) and Q&A.
    agent_key = str(agent.id)
    convo = client.agent_conversations.create(agent_key, query="Q4 findings?", chat_mode="balanced")
    qa = client.qa.chat("What were the key revenue drivers?")
    print(convo.id, qa.conversation_id)
