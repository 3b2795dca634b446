"""Parley reference server: a spec-driven ASGI app over SQLAlchemy, with a deterministic agent.

``create_app`` builds the app; ``parley serve`` runs it; :mod:`parley_server.testing` starts it
for tests.
"""

from .app import create_app
from .responder import ContextMessage, DeterministicResponder, Responder

__all__ = ["ContextMessage", "DeterministicResponder", "Responder", "create_app"]
