"""Every Prometheus metric the bot exports on ``/metrics``, in one place so the list can be read.

Counters and histograms count what this process did; the outbox gauges are read from the database
when ``/metrics`` is scraped, so every replica reports the same, deployment-wide depth (``bot/delivery/admin.py``).
"""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

EVENTS = Counter(
    "journeybot_events_received",
    "Requests and events received from a platform, by platform and type (after authentication)",
    ["platform", "type"],
)
ACK_SECONDS = Histogram(
    "journeybot_ack_seconds",
    "Time from receiving a platform request to answering it (the ack)",
    ["platform"],
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0),  # Slack wants its ack within 3 s
)
TURNS = Counter("journeybot_turns", "Conversation turns handled, by platform", ["platform"])
NUDGES = Counter(
    "journeybot_nudges",
    "Nudges by kind (intro, nudge, celebration …) and what happened: planned, sent, failed, dead",
    ["kind", "outcome"],
)
RATE_LIMIT_WAITS = Counter(
    "journeybot_rate_limit_waits", "Times a send waited for a rate-limit slot, by platform", ["platform"]
)
RATE_LIMIT_WAIT_SECONDS = Counter(
    "journeybot_rate_limit_wait_seconds",
    "Seconds sends waited for rate-limit slots, by platform",
    ["platform"],
)
RATE_LIMITED = Counter(
    "journeybot_rate_limited",
    "429 answers from a platform, by platform and the scope paused",
    ["platform", "scope"],
)
TICK_SECONDS = Histogram(
    "journeybot_tick_seconds",
    "Duration of one scheduler tick (planning and delivery)",
    buckets=(0.1, 0.5, 1.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0),
)
OUTBOX_DEPTH = Gauge(
    "journeybot_outbox_depth", "Outbox rows waiting to be sent (pending or failed), due or not"
)
OUTBOX_OLDEST_DUE_AGE = Gauge(
    "journeybot_outbox_oldest_due_age_seconds",
    "How long the oldest due outbox row has been due (0 when none is): delivery falling behind",
)
GC_FROZEN_OBJECTS = Gauge(
    "journeybot_gc_frozen_objects",
    "Objects built at startup and kept out of the garbage collector's full collections (gc.freeze)",
)
