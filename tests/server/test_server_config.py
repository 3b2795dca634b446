"""ServerConfig: the typed options `parley serve` builds and its workers read back."""

from __future__ import annotations

import functools
import json
import pickle

import pytest
from parley_server.config import ServerConfig
from parley_server.protocol import ConnectionLimits, ProblemH11Protocol
from parley_server.serving import CONFIG_ENV, app_from_env


def test_a_config_survives_the_worker_boundary() -> None:
    config = ServerConfig(
        database_url="sqlite:///x.db",
        jwt_secret="s" * 32,
        jwt_require_exp=False,
        token_delay_seconds=0.25,
        validate_responses=True,
        max_body_bytes=10,
        access_log=False,
        lease_seconds=1,
    )
    assert ServerConfig.from_json(config.to_json()) == config


def test_the_connection_limits_reach_every_worker() -> None:
    """The config crosses as JSON; uvicorn pickles the protocol factory for its workers."""
    config = ServerConfig(
        head_timeout_seconds=1.5,
        keep_alive_seconds=2,
        body_timeout_seconds=3,
        max_connections=7,
        max_head_bytes=4096,
    )
    assert ServerConfig.from_json(config.to_json()) == config
    factory = functools.partial(ProblemH11Protocol, limits=ConnectionLimits.of(config))
    limits = pickle.loads(pickle.dumps(factory)).keywords["limits"]
    assert limits == ConnectionLimits(
        head_timeout_seconds=1.5, body_timeout_seconds=3, max_connections=7
    )


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("not json", "not JSON"),
        ("[1]", "JSON object"),
        ('{"database_url": "x", "workers": 2}', "unknown server options: workers"),
        ('{"max_body_bytes": "big"}', "max_body_bytes has the wrong type"),
        ('{"max_body_bytes": true}', "max_body_bytes has the wrong type"),
        ('{"jwt_secret": 5}', "jwt_secret has the wrong type"),
    ],
)
def test_a_bad_config_is_refused_naming_the_option(raw: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ServerConfig.from_json(raw)


def test_each_worker_builds_the_app_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CONFIG_ENV, json.dumps({"max_body_bytes": 123, "access_log": False}))
    assert app_from_env().state.parley.max_body_bytes == 123
    monkeypatch.delenv(CONFIG_ENV)
    with pytest.raises(RuntimeError, match=CONFIG_ENV):
        app_from_env()
