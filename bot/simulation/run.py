"""Drive one simulated person through the weeks on the real planner and the real conversation.

The clock is simulated. The planner's tick runs (planning only: nothing is sent anywhere) whenever a
real scheduler ticking every minute would find the person due: at the ``next_due_at`` the planner
itself wrote, after every answer (saving clears it), and every hour of the person's window while it
is clear. A tick at any other moment would claim nobody (``bot/scheduling/sql.py`` claims only
people whose ``next_due_at`` has come), so those are not run. The person's answers go through ``Conversation.handle`` as button presses on the
nudge as it would be shown, at the moment they answer. Everything happens in a throwaway database
the caller provides, so the whole stack (store, planner, engine, dialogue) is the real one.
"""

from __future__ import annotations

import heapq
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.conversation.service import Conversation
from bot.simulation.content import weekly_items
from bot.simulation.personas import Persona, Reply, button_for
from bot.store.store import Store
from nudges.events import Inbound, PersonRef, Pressed, Said
from nudges.library import Category
from nudges.messages import Action, Message
from nudges.person import Offer, Person
from nudges.rendering import offer_message
from nudges.schedule import in_window, next_window_start
from nudges.zones import Zone

SHARING = (Action.SHARED_IT, Action.SHARED_WITH_LINE)

HOUR = timedelta(hours=1)
WEEK = timedelta(weeks=1)


class SimClock:
    """The instant everything in the simulated app reads (``build(clock=...)``)."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass(frozen=True)
class Seen:
    """One offer the simulated person received, and what they did with it."""

    week: int
    at: datetime
    key: str
    category: Category
    company: bool
    reply: Reply | None = None  # None: not a nudge to answer (a celebration)


@dataclass
class Journey:
    """The record of one run: what ``report.py`` summarises."""

    persona: Persona
    start: datetime
    weeks: int
    start_zone: Zone = Zone.CONSUMER
    offers: list[Seen] = field(default_factory=list)
    zone_by_week: dict[int, Zone] = field(default_factory=dict)
    zone_changes: list[tuple[int, Zone]] = field(default_factory=list)
    # The planning summary the run leaves (``people.plan_summary``): what a tick reads of the person
    # after these weeks, so a long run shows whether it keeps growing.
    planning_summary: str | None = None

    def week_of(self, at: datetime) -> int:
        return (at - self.start) // WEEK + 1


@dataclass
class _Pending:
    at: datetime
    offer_id: str
    reply: Reply

    def __lt__(self, other: _Pending) -> bool:
        return (self.at, self.offer_id) < (other.at, other.offer_id)


class Simulation:
    def __init__(
        self,
        conversation: Conversation,
        store: Store,
        plan: Callable[[datetime], Awaitable[object]],
        clock: SimClock,
        persona: Persona,
    ) -> None:
        self.conversation, self.store, self.plan, self.clock = conversation, store, plan, clock
        self.persona = persona
        self.who = PersonRef(
            "console",
            f"sim-{persona.name}",
            email=f"{persona.name}@simulated.example",
            name=f"{persona.name.capitalize()} Example",
            timezone=persona.timezone,
        )
        self.person_id = 0
        self.seen: set[str] = set()
        self.answered = 0  # nudges the persona has decided about, for its pattern
        self.pending: list[_Pending] = []

    async def run(self, weeks: int) -> Journey:
        start = self.clock.now
        journey = Journey(self.persona, start, weeks)
        person = await self._onboard()
        journey.start_zone = person.zone
        end = start + weeks * WEEK
        published = 0
        now = start
        while now < end:
            week = journey.week_of(now)
            while published < week:  # marketing publishes on each week's first instant
                published += 1
                await self.store.upsert_content(weekly_items(published, start))
            while self.pending and self.pending[0].at <= now:
                await self._answer(heapq.heappop(self.pending), journey)
            self.clock.now = now
            due = await self.store.next_due_at(self.person_id)
            # A tick claims only people whose next_due_at has come (bot/scheduling/sql.py), so a tick
            # before then would find nobody: it is skipped, with the same outcome and less waiting.
            if due is None or due <= now:
                await self.plan(now)
                person = await self._collect(journey)
                due = await self.store.next_due_at(self.person_id)
            journey.zone_by_week[week] = person.zone
            now = self._next_moment(person, now, start, due)
        for week in range(1, weeks + 1):  # weeks the loop jumped over keep the zone they started with
            journey.zone_by_week.setdefault(week, journey.zone_by_week.get(week - 1, journey.start_zone))
        journey.planning_summary = await self.store.planning_summary(self.person_id)
        return journey

    def _next_moment(self, person: Person, now: datetime, start: datetime, due: datetime | None) -> datetime:
        """The next instant anything can happen: the planner's own due time, an answer, a new week
        (new content), or, while the planner has no due time, the next whole hour of the window."""
        candidates = [start + ((now - start) // WEEK + 1) * WEEK]
        if due is not None and due > now:
            candidates.append(due)
        else:
            hour = now.replace(minute=0, second=0, microsecond=0) + HOUR
            if not in_window(person.schedule, hour):
                hour = next_window_start(person.schedule, hour) or hour + WEEK
            candidates.append(hour)
        if self.pending:
            candidates.append(self.pending[0].at)
        return min(candidates)

    async def _say(self, text: str) -> tuple[Message, ...]:
        handled = await self.conversation.handle(Inbound(self.who, Said(text), address=self.who.user_id))
        self.person_id = handled.person_id
        return handled.replies

    async def _onboard(self) -> Person:
        """Start and answer the onboarding questions as typed text, whichever order they come in."""
        answers = {
            "networks": self.persona.networks,
            "topics": self.persona.topics,
            "how do you use": self.persona.habits,
            "how much time": self.persona.time,
        }
        replies = await self._say("start")
        for _ in range(2 * len(answers)):
            person, _ = await self.store.load(self.person_id, since=self.clock.now)
            if person.onboarded:
                return person
            asked = " ".join(m.fallback.lower() for m in replies)
            answer = next((a for cue, a in answers.items() if cue in asked), "skip")
            replies = await self._say(answer)
        raise RuntimeError(f"the {self.persona.name} persona could not finish onboarding")

    async def _collect(self, journey: Journey) -> Person:
        """Record offers made since the last look and schedule the persona's answers to them."""
        person, history = await self.store.load_all(self.person_id)
        for offer in history.offers:
            if offer.id in self.seen:
                continue
            self.seen.add(offer.id)
            reply = None
            if offer.counts_toward_cap:
                self.answered += 1
                reply = self.persona.reply(self.answered)
                if reply != Reply.IGNORE:
                    heapq.heappush(
                        self.pending, _Pending(offer.offered_at + self.persona.delay, offer.id, reply)
                    )
            journey.offers.append(
                Seen(journey.week_of(offer.offered_at), offer.offered_at, _shown_key(offer, history.offers),
                     offer.category, offer.company, reply)
            )  # fmt: skip
        last = journey.zone_changes[-1][1] if journey.zone_changes else journey.start_zone
        if person.zone != last:
            journey.zone_changes.append((journey.week_of(self.clock.now), person.zone))
        return person

    async def _answer(self, pending: _Pending, journey: Journey) -> None:
        self.clock.now = pending.at
        person, history = await self.store.load_all(self.person_id)
        offer = history.offer(pending.offer_id)
        if offer is None or offer.answer is not None:
            return
        library = await self.conversation.library(pending.at)
        message = offer_message(offer, person, library, history)
        buttons = message.buttons if message else ()
        actions = frozenset(b.action for b in buttons)
        picks = [b.value for b in buttons if b.action == Action.PICK_NETWORK]
        if picks and pending.reply != Reply.LATER:
            # A share for several networks: the persona picks the first, as a person would, and the
            # card turns into that network's text with its "I shared it".
            await self._press(Action.PICK_NETWORK, picks[0])
            actions = actions | {Action.SHARED_IT, Action.SHARED_WITH_LINE}
        action = button_for(self.persona, pending.reply, actions)
        if action is None:
            return
        await self._press(action, picks[0] if picks and action in SHARING else offer.id)
        await self._collect(journey)  # celebrations come with the answer

    async def _press(self, action: str, value: str) -> None:
        await self.conversation.handle(Inbound(self.who, Pressed(action, value), address=self.who.user_id))


def _shown_key(offer: Offer, offers: tuple[Offer, ...]) -> str:
    """The offer's key, with a follow-up named by the template it follows."""
    if offer.category != Category.FOLLOW_UP:
        return offer.key
    followed = next((o for o in offers if o.id == offer.key.partition(":")[2]), None)
    return f"follow_up:{followed.key}" if followed else offer.key
