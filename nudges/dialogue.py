"""The conversation: one inbound event in, what to say and what changed out. Pure.

``respond`` is the whole bot as a person experiences it, whatever the platform: onboarding, the
journey map, on-demand nudges, answers to nudges, logging, pausing and settings. The shell loads
the person and their history, calls it, saves the ``Outcome`` and hands the replies to an adapter.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from nudges import onboarding, views
from nudges.activities import Activity, ActivityKind, parse_activity
from nudges.events import Command, Event, Joined, Pressed, Said, Submitted
from nudges.library import Category, Library
from nudges.messages import Action, Answer, Message, text_message
from nudges.person import History, Offer, Person
from nudges.progression import Milestone, milestones_reached, progress, tally, zone_milestone
from nudges.selection import Nudge, choose_nudge
from nudges.settings_form import MAX_PAUSE_DAYS, SettingsError, apply_settings, parse_set_command
from nudges.zones import Zone

DEFAULT_PAUSE_DAYS = 7


@dataclass(frozen=True)
class Outcome:
    person: Person
    replies: tuple[Message, ...] = ()
    activities: tuple[Activity, ...] = ()
    offers: tuple[Offer, ...] = ()
    answers: tuple[tuple[str, Answer, datetime], ...] = ()
    replace: Message | None = None  # the new look of the message a button was pressed on
    started: bool = False  # the person started their journey with this event
    introduced: bool = False  # the welcome was shown
    quit: bool = False  # the person asked to end the (console) session


@dataclass(frozen=True)
class Turn:
    """Everything ``respond`` needs besides the event."""

    person: Person
    history: History
    library: Library
    now: datetime
    rng: random.Random


def respond(turn: Turn, event: Event) -> Outcome:
    match event:
        case Joined():
            return _welcome(turn)
        case Said(text=text):
            return _said(turn, text.strip())
        case Command(text=text):
            return _said(turn, text.strip() or "help")
        case Pressed(action=action, value=value):
            return _pressed(turn, action, value)
        case Submitted(values=values):
            return _submitted(turn, values)
    return _reply(turn, text_message("Sorry, I didn't understand that. Type **help** to see what I can do."))


def _reply(turn: Turn, *messages: Message, person: Person | None = None, **changes: object) -> Outcome:
    return Outcome(person=person or turn.person, replies=messages, **changes)  # type: ignore[arg-type]


def _welcome(turn: Turn) -> Outcome:
    return _reply(turn, views.welcome(turn.person), introduced=True)


# --- typed text -------------------------------------------------------------------------------


def _said(turn: Turn, text: str) -> Outcome:
    lowered = text.lower().rstrip(".!")
    word, _, rest = lowered.partition(" ")
    person = turn.person
    if lowered in ("help", "?", "what is this", "what can you do"):
        return _reply(turn, text_message(views.HELP))
    if lowered in ("journey", "map", "status", "where am i"):
        return _show_journey(turn)
    if lowered in ("quit", "exit", "bye", "goodbye"):
        return _reply(turn, text_message("Bye for now! I'm here whenever you want me."), quit=True)
    if word == "pause":
        return _pause(turn, rest)
    if lowered in ("resume", "unpause"):
        return _reply(
            turn,
            text_message("Welcome back! 🙌 Nudges are on again."),
            person=person.evolve(paused_until=None),
        )
    if lowered in ("stop", "opt out", "unsubscribe"):
        msg = "Done: no more nudges from me. You can still chat with me, and **start** brings them back."
        return _reply(turn, text_message(msg), person=person.evolve(opted_out=True))
    if lowered == "settings":
        return _reply(turn, views.settings_view(person))
    if word == "set":
        return _set(turn, rest, text.partition(" ")[2])
    if lowered in ("start", "let's start", "lets start") or (
        not person.onboarded and person.onboarding_step == 0
    ):
        return _start(turn, greet=lowered not in ("start", "let's start", "lets start"))
    if not person.onboarded:
        return _onboarding_answer(turn, text)
    if lowered == "next":
        return _next(turn)
    if lowered in ("done", "did it", "i did it"):
        return _answer_latest(turn, Answer.DONE)
    if lowered in ("later", "not now", "maybe later"):
        return _answer_latest(turn, Answer.LATER)
    if lowered in ("not for me", "no thanks", "nope"):
        return _answer_latest(turn, Answer.NOT_FOR_ME)
    zone = _declared_zone(lowered)
    if zone is not None:
        return _set_zone(turn, zone)
    if word == "log":
        return _log(turn, rest, explicit=True)
    return _log(turn, lowered, explicit=False)


def _declared_zone(lowered: str) -> Zone | None:
    for opener in ("i'm a ", "i am a ", "im a ", "i'm ", "i am ", "zone "):
        if lowered.startswith(opener):
            return Zone.parse(lowered.removeprefix(opener))
    return None


def _pause(turn: Turn, rest: str) -> Outcome:
    days_text = rest.split(" ")[0] if rest else str(DEFAULT_PAUSE_DAYS)
    if not days_text.isdigit() or not 1 <= int(days_text) <= MAX_PAUSE_DAYS:
        return _reply(turn, text_message(f"How many days? e.g. **pause 14** (1 to {MAX_PAUSE_DAYS})."))
    until = turn.now + timedelta(days=int(days_text))
    msg = f"Enjoy the break! I'll be quiet until {until:%A %d %B}. Say **resume** to come back sooner."
    return _reply(turn, text_message(msg), person=turn.person.evolve(paused_until=until))


def _set(turn: Turn, rest: str, original: str) -> Outcome:
    try:
        values = parse_set_command(original)
        person = apply_settings(turn.person, values, now=turn.now)
    except SettingsError as error:
        return _reply(turn, text_message(str(error)))
    return _reply(turn, text_message("Saved ✓"), views.settings_view(person), person=person)


# --- onboarding -------------------------------------------------------------------------------


def _start(turn: Turn, greet: bool) -> Outcome:
    person = turn.person.evolve(opted_out=False)
    if person.onboarded:
        return _reply(turn, text_message("Nudges are on. Type **next** for a small step now."), person=person)
    person = person.evolve(onboarding_step=1)
    intro = "Let's find your starting point: four quick questions, skip any you like."
    if greet:
        intro = f"Hi {person.first_name()}! 👋 {intro} (Type **help** any time.)"
    messages = (text_message(intro), onboarding.question_message(1))
    return _reply(turn, *messages, person=person, started=True, introduced=greet)


def _onboarding_answer(turn: Turn, text: str) -> Outcome:
    try:
        person = onboarding.answer(turn.person, text)
    except onboarding.AnswerError as error:
        return _reply(
            turn, text_message(str(error)), onboarding.question_message(turn.person.onboarding_step)
        )
    if not person.onboarded:
        return _reply(turn, onboarding.question_message(person.onboarding_step), person=person)
    info = person.zone.info
    text = (
        f"Thanks! You're a **{info.label}** {info.emoji}. {info.summary}\n"
        f"{info.value}\nI'll send a small step now and then, inside your working hours. "
        "Type **journey** for your map or **next** for a step right now."
    )
    return _reply(replace(turn, person=person), text_message(text), person=person)


# --- nudges on demand and answers ---------------------------------------------------------------


def _offer_id(turn: Turn) -> str:
    # The instant leads so a restart with the same RANDOM_SEED (the rng then replays its ids) or a
    # replica with the same seed cannot hand out an id already stored; the random part separates
    # offers made within one microsecond.
    micros = int(turn.now.timestamp() * 1_000_000)
    return f"{micros:x}{turn.rng.getrandbits(48):012x}"


def _next(turn: Turn) -> Outcome:
    nudge = choose_nudge(turn.person, turn.history, turn.library, turn.now, turn.rng, on_demand=True)
    if nudge is None:
        msg = "I've nothing new for you right now. That's fine! Log what you've done with **log …**."
        return _reply(turn, text_message(msg))
    offer = nudge.to_offer(_offer_id(turn), turn.now)
    return _reply(turn, render_nudge(nudge, turn.person, offer.id), offers=(offer,))


def render_nudge(nudge: Nudge, person: Person, offer_id: str) -> Message:
    if nudge.category == Category.CELEBRATION and nudge.milestone:
        return views.celebration(nudge.milestone, person)
    if nudge.content is not None:
        return views.share_nudge(nudge.content, person, offer_id)
    assert nudge.template is not None, "a step, prompt or follow-up nudge carries its template"
    if nudge.category == Category.FOLLOW_UP:
        return views.follow_up_nudge(nudge.template, person, offer_id)
    return views.step_nudge(nudge.template, person, offer_id)


def offer_message(offer: Offer, person: Person, library: Library, history: History) -> Message | None:
    """Re-create the message an offer was sent as (to update it in place once answered)."""
    ref = offer.key.partition(":")[2]
    if offer.category == Category.SHARE:
        item = next((c for c in library.content if c.id == ref), None)
        return views.share_nudge(item, person, offer.id) if item else None
    if offer.category == Category.FOLLOW_UP:
        followed = history.offer(ref)
        template = library.by_id.get(followed.key) if followed else None
        return views.follow_up_nudge(template, person, offer.id) if template else None
    template = library.by_id.get(offer.key)
    return views.step_nudge(template, person, offer.id) if template else None


def _evidence(offer: Offer, library: Library, history: History, action: str) -> ActivityKind | None:
    if offer.category == Category.SHARE:
        return ActivityKind.SHARED_WITH_COMMENT if action == Action.SHARED_WITH_LINE else ActivityKind.SHARED
    key = offer.key
    if offer.category == Category.FOLLOW_UP:
        followed = history.offer(key.partition(":")[2])
        key = followed.key if followed else ""
    template = library.by_id.get(key)
    return template.evidence if template else None


def _answer_latest(turn: Turn, answer: Answer) -> Outcome:
    open_offers = [o for o in turn.history.offers if o.answer is None and o.counts_toward_cap]
    if not open_offers:
        return _reply(turn, text_message("There's nothing open from me right now. Type **next** for a step."))
    return _answer(turn, open_offers[-1], answer, action="")


def _answer(turn: Turn, offer: Offer, answer: Answer, action: str) -> Outcome:
    original = offer_message(offer, turn.person, turn.library, turn.history)
    if offer.answer is not None:
        shown = views.answered(original, offer.answer) if original else None
        return _reply(turn, text_message("Already noted ✓"), replace=shown)
    person = turn.person
    activities: tuple[Activity, ...] = ()
    answers = [(offer.id, answer, turn.now)]
    if offer.category == Category.FOLLOW_UP and answer != Answer.LATER:
        followed_id = offer.key.partition(":")[2]
        answers.append((followed_id, answer, turn.now))
    if answer == Answer.DONE:
        kind = _evidence(offer, turn.library, turn.history, action)
        activities = (Activity(kind, turn.now, "answered a nudge"),) if kind else ()
    if answer == Answer.NOT_FOR_ME:
        person = person.evolve(retired_kinds=person.retired_kinds | {offer.kind})
    shown = views.answered(original, answer) if original else None
    outcome = Outcome(person=person, answers=tuple(answers), replace=shown)
    if shown is None:
        outcome = replace(outcome, replies=(text_message(views.ANSWERED_NOTE[answer]),))
    return _with_evidence(turn, outcome, activities)


def _pressed(turn: Turn, action: str, value: str) -> Outcome:
    if action == Action.CHOOSE:
        if turn.person.onboarded or turn.person.onboarding_step == 0:
            return _reply(
                turn, text_message("That question is behind us. Type **settings** to change answers.")
            )
        return _onboarding_answer(turn, value)
    simple = {
        Action.START: lambda: _start(turn, greet=False),
        Action.NEXT: lambda: _said(turn, "next"),
        Action.SHOW_JOURNEY: lambda: _show_journey(turn),
        Action.HELP: lambda: _said(turn, "help"),
        Action.OPEN_SETTINGS: lambda: _reply(turn, views.settings_view(turn.person)),
        Action.RESUME: lambda: _said(turn, "resume"),
        Action.SET_ZONE: lambda: _set_zone(turn, Zone.parse(value) or turn.person.zone),
    }
    if action in simple:
        return simple[action]()
    offer = turn.history.offer(value)
    if offer is None:
        return _reply(turn, text_message("That suggestion has expired. Type **next** for a fresh one."))
    if action == Action.COPY_TEXT:
        item = next((c for c in turn.library.content if f"content:{c.id}" == offer.key), None)
        return _reply(
            turn, views.copy_text(item, turn.person) if item else text_message("That item is gone.")
        )
    answers = {
        Action.DONE: Answer.DONE,
        Action.SHARED_IT: Answer.DONE,
        Action.SHARED_WITH_LINE: Answer.DONE,
        Action.LATER: Answer.LATER,
        Action.NOT_FOR_ME: Answer.NOT_FOR_ME,
    }
    if action not in answers:
        return _reply(turn, text_message("Sorry, I didn't understand that button. Type **help**."))
    return _answer(turn, offer, answers[action], action)


def _submitted(turn: Turn, values: dict[str, str | list[str]]) -> Outcome:
    try:
        person = apply_settings(turn.person, values, now=turn.now)
    except SettingsError as error:
        return _reply(turn, text_message(str(error)))
    return _reply(turn, text_message("Saved ✓"), views.settings_view(person), person=person)


# --- the journey, zones and logging --------------------------------------------------------------


def _show_journey(turn: Turn) -> Outcome:
    counts = tally(turn.history.activities)
    nudge = None
    if turn.person.onboarded:
        # A copy of the generator: the map previews what "next" would pick, without consuming it.
        preview = random.Random()
        preview.setstate(turn.rng.getstate())
        nudge = choose_nudge(turn.person, turn.history, turn.library, turn.now, preview, on_demand=True)
    next_step = None
    if nudge is not None and nudge.template is not None:
        next_step = views.fill(nudge.template.title, turn.person, nudge.key)
    elif nudge is not None and nudge.content is not None:
        next_step = f"share “{nudge.content.title}”"
    elif not turn.person.onboarded:
        next_step = "answer four quick questions so I can suggest the right things (type **start**)"
    return _reply(turn, views.journey_map(turn.person, counts, next_step))


def _set_zone(turn: Turn, zone: Zone) -> Outcome:
    person = turn.person.evolve(zone=zone)
    if not person.onboarded:
        person = person.evolve(onboarding_step=onboarding.ONBOARDED)
    info = zone.info
    msg = f"Got it: you're a **{info.label}** {info.emoji}. I'll suggest steps that fit. {info.summary}"
    return _reply(turn, text_message(msg), person=person, started=not turn.person.onboarded)


def _log(turn: Turn, text: str, explicit: bool) -> Outcome:
    kind = parse_activity(text) if text else None
    if kind is None:
        if explicit:
            msg = "What did you do? e.g. _log shared an article_, _log replied to comments_, _log wrote a post_."
        else:
            msg = "I didn't quite catch that. Type **help** to see what I understand."
        return _reply(turn, text_message(msg))
    activity = Activity(kind, turn.now, text[:500])
    outcome = _reply(turn, text_message(f"Logged: you {kind.label}. 🙌"))
    return _with_evidence(turn, outcome, (activity,))


def _with_evidence(turn: Turn, outcome: Outcome, new: tuple[Activity, ...]) -> Outcome:
    """Add new activities to an outcome, move the zone if the evidence says so, and celebrate."""
    if not new:
        return outcome
    person = outcome.person
    counts = tally((*turn.history.activities, *new))
    zone = progress(person.zone, counts)
    reached = set(milestones_reached(counts))
    if zone > person.zone and (m := zone_milestone(zone)) is not None:
        reached.add(m)
    fresh = [m for m in Milestone if m in reached and m not in person.milestones]
    person = person.evolve(zone=zone, milestones=person.milestones | frozenset(fresh))
    # The person is here right now: celebrate at once and record it, so no later nudge repeats it.
    celebrations = tuple(
        Offer(_offer_id(turn), f"celebrate:{m}", "celebration", Category.CELEBRATION, turn.now) for m in fresh
    )
    cheers = tuple(views.celebration(m, person) for m in fresh)
    return replace(
        outcome,
        person=person,
        activities=outcome.activities + new,
        offers=outcome.offers + celebrations,
        replies=outcome.replies + cheers,
    )
