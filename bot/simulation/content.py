"""What marketing publishes during a simulated run: a few suggested shares a week.

A made-up but realistic mix: each week one item from the organisation itself and two curated pieces
from elsewhere in the field, spread over the personas' topics, each live for three weeks. The texts
fit every network the personas use (a cut-off post is a classic failure, even in a simulation).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from nudges.library import ContentItem

PER_WEEK = 3  # one company item, two curated ones
LIVE_FOR = timedelta(weeks=3)
TOPICS = (
    "cloud security",
    "hiring",
    "sustainability",
    "supply chain",
    "data analytics",
    "finance",
    "developer experience",
    "open source",
)
NETWORKS = ("linkedin", "x", "mastodon")


def weekly_items(week: int, start: datetime) -> list[ContentItem]:
    """The items published on the Monday of ``week`` (1-based) of a run that starts at ``start``."""
    published = start + timedelta(weeks=week - 1)
    items = []
    for n in range(PER_WEEK):
        company = n == 0
        topic = TOPICS[(week * PER_WEEK + n) % len(TOPICS)]
        source = "our team" if company else "a peer in the field"
        title = f"Week {week}: what {source} learned about {topic}"
        url = f"https://example.org/sim/{week}-{n}"
        text = f"Worth a read on {topic}: {title.lower()}. {url}"
        items.append(
            ContentItem(
                id=f"sim-{week}-{n}",
                title=title,
                url=url,
                topics=(topic,),
                texts={network: text for network in NETWORKS},
                company=company,
                created_at=published,
                expires_at=published + LIVE_FOR,
            )
        )
    return items
