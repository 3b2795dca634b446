"""Broken variants for the promise kinds derived, keep, repeat, lands, idempotent, stream and
disconnect: one per promise, each caught by that promise's check alone.

`promise_variants.PROMISE_VARIANTS` adds them (it imports this module last, so that the
helpers used here are defined by then).
"""

from __future__ import annotations

from tests.harness import promise_variants as pv
from tests.harness.broken import rewrite_json

ANALYTICS = "/v1/analytic/conversation/[^/]+"

VARIANTS: list[pv.PromiseVariant] = [
    pv.PromiseVariant(
        "derived getConversationAnalytics MessageStatistics.average_message_length",
        lambda app: rewrite_json(
            app, "GET", ANALYTICS, pv._bump("/message_statistics/average_message_length")
        ),
        "analytics' mean message length one character too long",
    ),
    pv.PromiseVariant(
        "derived getConversationAnalytics ConversationFlow.duration_minutes",
        lambda app: rewrite_json(
            app, "GET", ANALYTICS, pv._bump("/conversation_flow/duration_minutes")
        ),
        "analytics' duration one minute too long",
    ),
]
