"""Test data read from the document: feeds, identities, references, writers, deletes, bodies.

Checked on both contracts the harness is tested with: Parley's `openapi.yaml` and the library
of `tests/library/`, which share nothing but the conventions of links and examples.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from parley_contract.data import Recipes
from parley_contract.data.bodies import varied, with_field
from parley_spec import Contract, load_contract

ROOT = Path(__file__).resolve().parents[2]
LIBRARY_DOCUMENT = ROOT / "tests" / "library" / "openapi.yaml"
PARLEY = Recipes(load_contract(ROOT / "openapi.yaml"))
LIBRARY = Recipes(load_contract(LIBRARY_DOCUMENT))


def op(recipes: Recipes, operation_id: str):  # type: ignore[no-untyped-def]
    return recipes.contract.by_id(operation_id)


def test_every_path_parameter_is_fed_by_a_link() -> None:
    """Both documents link to every operation with path parameters, naming all of them."""
    for recipes in (PARLEY, LIBRARY):
        unfed = [
            o.operation_id
            for o in recipes.contract.operations
            if o.path_parameters
            and not any(
                recipes.names(feed) == set(o.path_parameters) for feed in recipes.links_into(o)
            )
        ]
        assert unfed == []
    # Shortest chain first: an agent's conversations from the agent, not from a conversation.
    feeds = PARLEY.feeds(op(PARLEY, "listAgentConversations"))
    assert [f.source.operation_id for f in feeds] == ["createAgent", "createAgentConversation"]


def test_an_operation_no_link_feeds_takes_the_feeds_of_the_path_it_extends() -> None:
    """A document with fewer links (an older release's) still gives every path value."""
    document = yaml.safe_load(LIBRARY_DOCUMENT.read_text(encoding="utf-8"))
    links = document["paths"]["/books"]["post"]["responses"]["201"]["links"]
    del links["RestoreBook"], links["UpdateBook"]
    recipes = Recipes(Contract(document, LIBRARY_DOCUMENT))
    for name in ("restoreBook", "updateBook"):
        (feed, *_) = recipes.feeds(op(recipes, name))
        assert (feed.source.operation_id, feed.target.operation_id) == ("createBook", "getBook")
    book = recipes.identity(op(recipes, "getBook"), "book_id")
    assert recipes.identity(op(recipes, "restoreBook"), "book_id") == book
    assert [o.operation_id for o in recipes.parents(op(recipes, "restoreBook"))][:1] == ["getBook"]


def test_identities_tell_resources_of_one_name_apart() -> None:
    """Q&A and v1 conversations share the parameter `conversation_id`, not their identity."""
    qa = PARLEY.identity(op(PARLEY, "getQaConversation"), "conversation_id")
    v1 = PARLEY.identity(op(PARLEY, "getConversation"), "conversation_id")
    assert qa and v1 and qa != v1
    assert PARLEY.identity(op(PARLEY, "listConversationMessages"), "conversation_id") == v1
    # Read through two links: an agent conversation's agentKey is the created agent's id.
    agent = PARLEY.identity(op(PARLEY, "getAgent"), "agent_id")
    assert PARLEY.identity(op(PARLEY, "getAgentConversation"), "agentKey") == agent


def test_body_fields_naming_resources_are_found_by_their_example_ids() -> None:
    (agent,) = PARLEY.references(op(PARLEY, "createConversation"))
    assert (agent.pointer, agent.in_example) == ("/agent_id", True)
    assert [o.operation.operation_id for o in PARLEY.origins(agent.identity)] == ["createAgent"]
    (follow_up,) = PARLEY.references(op(PARLEY, "qaChat"))
    assert (follow_up.pointer, follow_up.in_example) == ("/conversation_id", False)
    assert all(not LIBRARY.references(o) for o in LIBRARY.contract.operations)


@pytest.mark.parametrize(
    ("recipes", "read", "writer", "aim"),
    [
        (LIBRARY, "listLoans", "lendBook", {"path": {"book_id": "B"}, "body": {}}),
        (PARLEY, "getQaConversation", "qaChat", {"path": {}, "body": {"/conversation_id": "B"}}),
        (PARLEY, "listConversations", "createConversation", {"path": {}, "body": {}}),
    ],
)
def test_a_write_is_aimed_at_what_a_read_answers(
    recipes: Recipes, read: str, writer: str, aim: dict[str, dict[str, str]]
) -> None:
    listing = op(recipes, read)
    values = {name: "B" for name in listing.path_parameters}
    assert writer in [w.operation_id for w in recipes.writers(listing)]
    found = recipes.aim(op(recipes, writer), listing, values)
    assert found is not None and {"path": found.path, "body": found.body} == aim


def test_a_write_that_makes_something_new_cannot_be_aimed() -> None:
    messages = op(PARLEY, "listConversationMessages")
    assert PARLEY.aim(op(PARLEY, "createConversation"), messages, {"conversation_id": "c"}) is None


def test_a_list_without_a_link_into_it_is_written_by_what_answers_its_items() -> None:
    listing = op(PARLEY, "listConversationsForEntity")
    assert [w.operation_id for w in PARLEY.writers(listing, "/items")] == ["createConversation"]
    assert PARLEY.writers(listing) == ()


def test_deletes_restores_and_modifiers_come_from_links_and_given() -> None:
    (delete,) = LIBRARY.deletes_of("Book")
    assert (delete.source.operation_id, delete.target.operation_id) == ("createBook", "deleteBook")
    assert [r.operation_id for r in LIBRARY.restores(delete.target)] == ["restoreBook"]
    assert [d.target.operation_id for d in PARLEY.deletes_of("Message")] == ["deleteMessage"]
    modifiers = [f.target.operation_id for f in LIBRARY.modifiers(op(LIBRARY, "createBook"))]
    assert modifiers == ["updateBook", "restoreBook", "lendBook", "writeBlurb"]
    assert LIBRARY.stamps(op(LIBRARY, "returnLoan"))
    assert not LIBRARY.stamps(op(LIBRARY, "updateBook"))
    # Lending changes the new loan, not the book it addresses.
    assert not LIBRARY.consumes(op(LIBRARY, "lendBook"))
    assert LIBRARY.consumes(op(LIBRARY, "returnLoan"))


def test_copies_of_a_body_differ_where_the_schema_lets_them() -> None:
    contract = LIBRARY.contract
    schema = {"$ref": "#/components/schemas/NewBook"}
    body = {"title": "Dune", "author": "Frank Herbert", "genre": "fiction"}
    assert varied(contract, schema, body, 0) == body
    assert varied(contract, schema, body, 1) == {
        "title": "Dune 1",
        "author": "Frank Herbert 1",
        "genre": "history",
    }
    loan = {"borrower": "Ai", "due_on": "2026-02-05"}
    copy = varied(contract, {"$ref": "#/components/schemas/NewLoan"}, loan, 2)
    assert copy == {"borrower": "Ai 2", "due_on": "2026-02-05"}  # a date keeps its format
    assert with_field({"a": 1}, "/b/c", 2) == {"a": 1, "b": {"c": 2}}
    with pytest.raises(ValueError, match="does not end in an object"):
        with_field({"a": 1}, "/a/b", 2)
