"""A nudge as the neutral ``Message`` a person receives, whoever sends it.

The dialogue renders a nudge the person asked for ("next") and re-renders an answered one to
update it in place; the delivery worker renders each planned offer when it sends it
(``bot/delivery/messages.py``). Both come here, so a nudge looks the same however it arrives.
"""

from __future__ import annotations

from collections.abc import Callable

from nudges import views
from nudges.library import Category, ContentItem, Library
from nudges.messages import Message
from nudges.person import History, Offer, Person
from nudges.selection import Nudge


def links(library: Library, item: ContentItem, offer_id: str) -> Callable[[str], str]:
    """The person's own link for ``item`` on each network (made by the shell, see ``Library``)."""
    return lambda network: library.link(item, offer_id, network)


def nudge_message(nudge: Nudge, person: Person, offer_id: str, library: Library | None = None) -> Message:
    """The message of a nudge just chosen (it carries its template or content item)."""
    if nudge.category == Category.CELEBRATION and nudge.milestone:
        return views.celebration(nudge.milestone, person)
    if nudge.category == Category.CAUGHT_UP:
        return views.caught_up(person, offer_id)
    if nudge.content is not None:
        link = links(library, nudge.content, offer_id) if library is not None else None
        return views.share_nudge(nudge.content, person, offer_id, link)
    assert nudge.template is not None, "a step, prompt or follow-up nudge carries its template"
    if nudge.category == Category.FOLLOW_UP:
        return views.follow_up_nudge(nudge.template, person, offer_id)
    return views.step_nudge(nudge.template, person, offer_id)


def offer_message(offer: Offer, person: Person, library: Library, history: History) -> Message | None:
    """The message an offer is sent as: when the outbox sends it, and again to update it in place
    once answered. None when what it offered is gone (the content withdrawn or expired, the template
    removed from the catalogue). ``history`` needs only the offer a follow-up follows."""
    ref = offer.key.partition(":")[2]
    if offer.category == Category.INTRO:
        return views.welcome(person)
    if offer.category == Category.CELEBRATION:
        return views.celebration(ref, person)
    if offer.category == Category.CAUGHT_UP:
        return views.caught_up(person, offer.id)
    if offer.category == Category.SHARE:
        item = next((c for c in library.content if c.id == ref), None)
        return views.share_nudge(item, person, offer.id, links(library, item, offer.id)) if item else None
    if offer.category == Category.FOLLOW_UP:
        followed = history.offer(ref)
        template = library.by_id.get(followed.key) if followed else None
        return views.follow_up_nudge(template, person, offer.id) if template else None
    template = library.by_id.get(offer.key)
    return views.step_nudge(template, person, offer.id) if template else None
