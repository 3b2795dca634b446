"""The HTTP answer of any call, request ids, null on purpose, and parameters not known yet.

``PARLEY_API_KEY=pk_... python examples/raw_responses.py``
"""

import os
import uuid

from parley import ConversationService, NotFoundError, Parley

url = os.environ.get("PARLEY_BASE_URL", "http://127.0.0.1:8080")
api_key = os.environ["PARLEY_API_KEY"]

with Parley(url, api_key=api_key) as client:
    agent = client.agents.create("Raw responses")

    # with_raw_response: the same call (retries, Idempotency-Key, errors), answer kept.
    response = client.conversations.with_raw_response.create_conversation(agent.id, title="Raw")
    conversation = response.parse()  # exactly what create_conversation returns
    print(response.status_code, response.request_id, response.elapsed, conversation.id)

    # with_streaming_response: nothing is read until asked; the block closes the answer.
    with client.conversations.with_streaming_response.list_conversations(per_page=5) as answer:
        print(answer.headers["content-type"], len(answer.parse()))  # parse(): the SyncPage

    # Services have both twins too. None sends null: the title is cleared (left out: kept).
    raw = ConversationService(client).with_raw_response.update(conversation.id, title=None)
    print(raw.request_id, raw.parse().title)  # None

    # Request ids: send your own (per call, or in default_headers); every error shows one.
    try:
        client.conversations.get_conversation(uuid.uuid4(), headers={"X-Request-ID": "lookup-42"})
    except NotFoundError as error:
        print(error.request_id, repr(error))

    # extra_query / extra_body: what the server knows and this client does not yet.
    page = client.conversations.list_conversations(per_page=5, extra_query={"locale": "en"})
    print(page.total)
