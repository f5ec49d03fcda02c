"""The conversation: one inbound event in, what to say and what changed out. Pure.

``respond`` is the whole bot as a person experiences it, whatever the platform: onboarding, the
journey map, on-demand nudges, answers to nudges, logging, pausing and settings. The shell loads
the person and their history, calls it, saves the ``Outcome`` and hands the replies to an adapter.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta
from typing import assert_never

from nudges import creators, noting, onboarding, phrases, rendering, views, when, words
from nudges.activities import Activity, ActivityKind, parse_activity
from nudges.events import Command, Event, Joined, Pressed, Said, Submitted
from nudges.intents import Intent, understand
from nudges.library import Category, Library
from nudges.messages import Action, Answer, Button, Buttons, Message, Text, plain, text_message
from nudges.person import History, Incomplete, Offer, Person, offer_id
from nudges.progression import (
    Milestone,
    evidence_zone,
    milestones_reached,
    progress,
    recognised_pieces,
    recognitions,
    steady_weeks,
    tally,
    to_next_zone,
    zone_milestone,
    zone_of_milestone,
)
from nudges.selection import activities_read_since, choose_nudge, counted_this_week, weekly_allowance
from nudges.settings_form import MAX_PAUSE_DAYS, SettingsError, apply_settings, parse_set_command
from nudges.telling import not_done
from nudges.zones import Zone

DEFAULT_PAUSE_DAYS = 7
# "How am I doing?" counts what was logged in the last four weeks.
PROGRESS_WINDOW = timedelta(days=28)
ENDED = "That suggestion has ended, so there's nothing to share now. Thanks for looking!"


@dataclass(frozen=True)
class Share:
    """A person said they shared a suggested item (on ``network``, when they picked one)."""

    offer_id: str
    item_id: str
    network: str | None
    with_own_line: bool = False


@dataclass(frozen=True)
class Removal:
    """What an undo takes back: the person's last activity, and the celebrations it caused."""

    activity: Activity  # the newest activity of the person's history (the store deletes that row)
    offer_ids: tuple[str, ...] = ()  # the celebration offers recorded with it


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
    # The person chose their time zone themselves: a platform's guess must not replace it later.
    timezone_chosen: bool = False
    shares: tuple[Share, ...] = ()  # for the content report: counted by item, network, team, zone
    removed: Removal | None = None  # an undo: what the shell deletes in the same unit of work


@dataclass(frozen=True)
class Turn:
    """Everything ``respond`` needs besides the event."""

    person: Person
    history: History
    library: Library
    now: datetime
    rng: random.Random
    introduced: bool = False  # the person was welcomed already (so "hi" is not answered with a second hello)


# What the last question waits for (``Person.awaiting``): a typed answer counts like its button.
AWAITING_NOTE = "note:"
AWAITING_PAUSE = "pause"
_BREAK_WORDS = {
    "a week": "7", "one week": "7", "1 week": "7", "week": "7", "for a week": "7", "pause a week": "7",
    "two weeks": "14", "2 weeks": "14", "a fortnight": "14", "fortnight": "14", "pause two weeks": "14",
    "for two weeks": "14",
}  # fmt: skip


def activities_kept_since(now: datetime) -> datetime:
    """The oldest activity a turn at ``now`` must have one by one in ``History.activities``: the
    start (Monday 00:00 UTC) of the week holding the oldest one it reads one by one (the last
    ``PROGRESS_WINDOW``, a follow-up's days). Older ones it may pass summed up as ``History.logged``:
    a rule needing one of them (the newest, for an undo, when nothing is recent) raises ``Incomplete``.
    """
    oldest = min(now - PROGRESS_WINDOW, activities_read_since(now)).astimezone(UTC).date()
    return datetime.combine(oldest - timedelta(days=oldest.weekday()), time(), UTC)


def respond(turn: Turn, event: Event) -> Outcome:
    if turn.person.awaiting is not None:
        # Whatever comes next answers the question or moves on from it: either way it waits no more.
        awaiting = turn.person.awaiting
        turn = replace(turn, person=turn.person.evolve(awaiting=None))
        if isinstance(event, Said | Command) and (answer := _typed_answer(turn, awaiting, event.text)):
            return answer
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
    assert_never(event)  # a new kind of event is answered above: mypy points here until it is


def _typed_answer(turn: Turn, awaiting: str, text: str) -> Outcome | None:
    """A typed answer to the last question ("yes", "nope", "two weeks"), as its button would answer
    it; None when the words are something else (they are then read as usual)."""
    said = _lowered(text.strip())
    if awaiting.startswith(AWAITING_NOTE):
        if said in noting.YES_WORDS:
            return replace(_note_it(turn, awaiting.removeprefix(AWAITING_NOTE)), replace=None)
        if said in noting.NO_WORDS:
            return _reply(turn, text_message(noting.not_noted(turn.rng)))
    elif awaiting == AWAITING_PAUSE:
        if said in noting.YES_WORDS or said in _BREAK_WORDS:
            return replace(_take_break(turn, _BREAK_WORDS.get(said, "7")), replace=None)
        if said in noting.NO_WORDS:
            return _reply(turn, text_message("All right, nothing changes. I'm here when you want me."))
    return None


def _reply(turn: Turn, *messages: Message, person: Person | None = None, **changes: object) -> Outcome:
    return Outcome(person=person or turn.person, replies=messages, **changes)  # type: ignore[arg-type]


def _welcome(turn: Turn) -> Outcome:
    return _reply(turn, views.welcome(turn.person), introduced=True)


# --- typed text -------------------------------------------------------------------------------


_HELP_WORDS = ("help", "?", "what can you do")
_JOURNEY_WORDS = ("journey", "map", "status", "where am i")
_QUIT_WORDS = ("quit", "exit", "bye", "goodbye")
_STOP_WORDS = ("stop", "opt out", "unsubscribe")
_START_WORDS = ("start", "let's start", "lets start")


def _lowered(text: str) -> str:
    """Typed words as the word lists compare them: lower case, straight apostrophes, no final "." "!"."""
    return text.lower().replace("’", "'").rstrip(".!")


def _said(turn: Turn, text: str) -> Outcome:
    lowered = _lowered(text)
    command = _command(turn, text, lowered)
    if command is not None:
        return command
    person = turn.person
    intent = understand(text)
    if person.mid_onboarding:
        if intent is not None and _intent_mid_questions(intent, text):
            if intent in (Intent.PAUSE, Intent.ABOUT):  # their buttons are the answer to expect
                return _intent(turn, intent)
            return _then_pending_question(turn, _intent(turn, intent))
        return _onboarding_answer(turn, text)
    if not person.onboarded:
        if intent in (Intent.ABOUT, Intent.PAUSE, Intent.THANKS, Intent.HELP):
            return _intent(turn, intent)
        return _start(turn, greet=True)  # whatever else their first words, the journey starts
    if lowered in ("done", "did it", "i did it"):
        return _answer_latest(turn, Answer.DONE)
    if lowered in ("later", "maybe later") or (lowered == "not now" and _open_offers(turn)):
        return _answer_latest(turn, Answer.LATER)
    if lowered in ("not for me", "no thanks", "nope"):
        return _answer_latest(turn, Answer.NOT_FOR_ME)
    if noting.is_undo(lowered):
        return _undo(turn)
    if intent is not None:
        return _intent(turn, intent)
    return _log(turn, lowered, explicit=False)


def _intent_mid_questions(intent: Intent, text: str) -> bool:
    """During the questions a free answer may look like an everyday phrase: one word that is not
    a greeting, thanks or help ("ideas", "progress") is taken as the answer it was meant to be."""
    return intent in (Intent.GREETING, Intent.THANKS, Intent.HELP) or len(text.split()) > 1


def _intent(turn: Turn, intent: Intent) -> Outcome:
    """The answer to an everyday phrase (``nudges.intents``)."""
    person = turn.person
    match intent:
        case Intent.GREETING:
            line, person = phrases.pick(person, "greeting", phrases.GREETING, turn.rng)
            line = line.format(name=person.first_name())
            if person.onboarded:
                buttons = (Button("Give me a step", Action.NEXT), Button("My journey", Action.SHOW_JOURNEY))
                return _reply(
                    turn, Message((Text(line), Buttons(buttons)), fallback=plain(line)), person=person
                )
            return _reply(turn, text_message(line), person=person)
        case Intent.THANKS:
            line, person = phrases.pick(person, "thanks", phrases.THANKS, turn.rng)
            if not person.onboarded and not person.mid_onboarding:
                line += " Whenever you're ready, **start** begins four quick questions."
            return _reply(turn, text_message(line), person=person)
        case Intent.PAUSE:
            return _reply(
                turn, views.pause_question(person, turn.now), person=person.evolve(awaiting=AWAITING_PAUSE)
            )
        case Intent.ABOUT:
            return _reply(turn, views.about(person))
        case Intent.NEXT:
            return _next(turn)
        case Intent.PROGRESS:
            return _progress(turn)
        case Intent.HELP:
            return _reply(turn, text_message(views.HELP))
        case Intent.JOURNEY:
            return _show_journey(turn)
        case Intent.SETTINGS:
            return _reply(turn, views.settings_view(person))
    assert_never(intent)


def _open_offers(turn: Turn) -> list[Offer]:
    """Counting offers still without an answer, oldest first (whole history)."""
    history = turn.history
    found = [o for o in history.offers if o.answer is None and o.counts_toward_cap]
    if not found and history.bounded and history.earlier.counting:
        raise Incomplete("an open offer among the older ones")
    return found


def _counts(history: History) -> Counter[ActivityKind]:
    """``tally`` of every activity, those a bounded history sums up included."""
    counts = tally(history.activities)
    for kind, n in history.logged.kinds:
        counts[kind] += n
    return counts


def _weeks(history: History, activities: Sequence[Activity]) -> int:
    """``steady_weeks`` of ``activities`` (the history's own, maybe with new ones or without the last)
    and of the ones it sums up, which lie in earlier weeks."""
    return history.logged.weeks + steady_weeks(activities)


def _last_activity(history: History) -> Activity | None:
    if history.activities:
        return history.activities[-1]
    if history.logged.count:
        raise Incomplete("the newest activity")
    return None


def _progress(turn: Turn) -> Outcome:
    """ "How am I doing?": where they are, what they logged, what the next zone asks (no ranking)."""
    person = turn.person
    info = person.zone.info
    activities = turn.history.activities  # a bounded history keeps at least the last four weeks
    recent = [a for a in activities if a.at > turn.now - PROGRESS_WINDOW]
    logged = turn.history.logged.count + len(activities)
    if not logged:
        text = (
            f"You're a **{info.label}** {info.emoji}, and nothing's logged yet, which is perfectly fine. "
            "One small step is all it takes to begin."
        )
    else:
        steps = f"{logged} step{'s' if logged != 1 else ''}"
        text = f"You're a **{info.label}** {info.emoji}. You've logged {steps} so far, {len(recent)} in the last four weeks"
        milestones = len(person.milestones)
        text += (
            f", and reached {milestones} milestone{'s' if milestones != 1 else ''}. 🙌"
            if milestones
            else ". 🙌"
        )
    nxt = person.zone.next()
    gaps = to_next_zone(person.zone, _counts(turn.history))
    if nxt is not None and gaps:
        text += f"\nToward **{nxt.label}**, when you feel like it: {', '.join(gaps)}."
    buttons = (Button("Give me a step", Action.NEXT, primary=True), Button("My journey", Action.SHOW_JOURNEY))
    return _reply(turn, Message((Text(text), Buttons(buttons)), fallback=plain(text)))


def _command(turn: Turn, text: str, lowered: str) -> Outcome | None:
    """A command, which works at any moment, onboarding included; None for anything else.

    Commands come before onboarding answers: the topics question takes any words, so "next" or
    "log …" there used to become topics, and "I'm a sharer" restarted the questions. (Answer words
    such as "later" or "not for me" are not commands here: during onboarding they skip a question.)
    """
    word, _, rest = lowered.partition(" ")
    person = turn.person
    if lowered in _START_WORDS:
        return _start(turn, greet=False)
    if lowered in _QUIT_WORDS:
        return _reply(turn, text_message("Bye for now! I'm here whenever you want me."), quit=True)
    if lowered in _STOP_WORDS:
        msg = "Done: no more nudges from me. You can still chat with me, and **start** brings them back."
        return _reply(turn, text_message(msg), person=person.evolve(opted_out=True))
    zone = words.declared_zone(lowered)
    if zone is not None:
        return _set_zone(turn, zone)
    if lowered in _HELP_WORDS:
        outcome = _reply(turn, text_message(views.HELP))
    elif lowered in _JOURNEY_WORDS:
        return _show_journey(turn)  # the map itself shows the pending question and a way back to it
    elif word == "pause" or (word in ("snooze", "mute") and _is_duration(turn, rest)):
        outcome = _pause(turn, rest)
    elif (setting := _setting_words(text.strip(), lowered)) is not None:
        outcome = _set(turn, "", setting)
    elif lowered in ("resume", "unpause"):
        msg = "Welcome back! 🙌 Nudges are on again."
        outcome = _reply(turn, text_message(msg), person=person.evolve(paused_until=None))
    elif lowered == "settings":
        outcome = _reply(turn, views.settings_view(person))
    elif word == "set":
        outcome = _set(turn, rest, text.strip().partition(" ")[2])
    elif lowered == "next":
        outcome = _next(turn)
    elif lowered in ("basics", "next basics", "something simpler"):
        outcome = _next(turn, basics=True)
    elif lowered in ("why", "why this", "why this?", "why now"):
        outcome = _why_latest(turn)
    elif word == "log":
        outcome = _log(turn, rest, explicit=True)
    elif lowered in ("undo", "undo that", "undo it", "undo please", "please undo"):
        outcome = _undo(turn)
    else:
        return None
    return _then_pending_question(turn, outcome)


# Ways to change one setting without "set": "timezone new york", "my working hours are 9-5".
SETTING_LEADS = {
    "timezone": ("timezone ", "time zone ", "tz ", "my timezone is ", "my time zone is "),
    "hours": ("hours ", "working hours ", "work hours ", "my hours are ", "my working hours are "),
}


def _setting_words(text: str, lowered: str) -> str | None:
    """``set``'s words for a setting typed without it ("timezone berlin" → "timezone berlin")."""
    for name, leads in SETTING_LEADS.items():
        for lead in leads:
            if lowered.startswith(lead) and len(lowered) > len(lead):
                return f"{name} {text[len(lead) :].strip()}"
    return None


def _then_pending_question(turn: Turn, outcome: Outcome) -> Outcome:
    """Mid-onboarding, a command's answer is followed by the question still waiting, so the person
    sees where they were (and a typed number answers it, not a button further up)."""
    if not turn.person.mid_onboarding or not outcome.person.mid_onboarding:
        return outcome
    person = onboarding.resume(outcome.person, turn.now)  # a log may have placed them
    question = onboarding.current(person)
    if question is None:  # what they said answered every question left
        return replace(outcome, person=person)
    return replace(outcome, person=person, replies=(*outcome.replies, onboarding.question_message(question)))


PAUSE_HOWTO = (
    "How long a break? e.g. **pause 1 week**, **pause for two weeks**, **pause until Monday** "
    "or **pause till 4 January** (up to a year)."
)


def _pause(turn: Turn, rest: str) -> Outcome:
    """A break: "pause", "pause 14", "pause 1 week", "pause for two weeks", "pause until Monday"."""
    try:
        until = when.pause_end(rest, turn.now, turn.person.schedule.timezone)
    except when.NotADuration:
        return _reply(turn, text_message(PAUSE_HOWTO))
    until = until or turn.now + timedelta(days=DEFAULT_PAUSE_DAYS)
    if not turn.now < until <= turn.now + timedelta(days=MAX_PAUSE_DAYS):
        return _reply(turn, text_message(PAUSE_HOWTO))
    day = views.local_day(turn.person, until)
    msg = f"Enjoy the break! I'll be quiet until {day}. Say **resume** to come back sooner."
    return _reply(turn, text_message(msg), person=turn.person.evolve(paused_until=until))


def _is_duration(turn: Turn, words: str) -> bool:
    """Whether ``words`` say how long ("for 2 weeks"): "snooze for 2 weeks" is a pause at once,
    "mute notifications" a wish to be asked about."""
    try:
        return bool(words) and when.pause_end(words, turn.now, turn.person.schedule.timezone) is not None
    except when.NotADuration:
        return False


def _take_break(turn: Turn, value: str) -> Outcome:
    """A button of the pause question: the break (or stop), and the question answered in place."""
    if value == "stop":
        shown = text_message("⏹ You chose to stop the nudges.")
        if turn.person.opted_out:  # a double-click: said once is enough
            return _reply(turn, replace=shown)
        person = turn.person.evolve(opted_out=True)
        msg = "Done: no more nudges from me. You can still chat with me, and **start** brings them back."
        return _reply(turn, text_message(msg), person=person, replace=shown)
    days = value if value.isdecimal() else str(DEFAULT_PAUSE_DAYS)
    outcome = _pause(turn, days)
    until, before = outcome.person.paused_until, turn.person.paused_until
    if until is None:
        return outcome
    weeks = int(days) // 7
    span = f"{weeks} week{'s' if weeks != 1 else ''}" if int(days) % 7 == 0 else f"{days} days"
    shown = text_message(f"⏸ You chose a break of {span}.")
    if before is not None and abs(until - before) < timedelta(minutes=1):  # a double-click
        return _reply(turn, replace=shown)
    return replace(outcome, replace=shown)


def _set(turn: Turn, rest: str, original: str) -> Outcome:
    try:
        values = parse_set_command(original)
        person = apply_settings(turn.person, values, now=turn.now)
    except SettingsError as error:
        return _reply(turn, text_message(str(error)))
    chosen = "timezone" in values  # typed on purpose, even "set timezone UTC"
    said = text_message("Saved ✓")
    if "celebrate" in values:
        said = text_message(
            "Lovely: your next milestones will be cheered by name in your team's digest. "
            "**set celebrate private** keeps them between us again, any time."
            if person.celebrate_publicly
            else "Done: your milestones stay between us. The team digest only ever counts them."
        )
    saved = (said, views.settings_view(person))
    return _reply(turn, *saved, person=person, timezone_chosen=chosen)


# --- onboarding -------------------------------------------------------------------------------


def _start(turn: Turn, greet: bool) -> Outcome:
    person = turn.person.evolve(opted_out=False)
    if person.onboarded:
        # "start" ends an opt-out, not a break they chose
        if person.paused_until is not None and person.paused(turn.now):
            day = views.local_day(person, person.paused_until)
            msg = (
                f"Nudges are on again, after your break: I'll stay quiet until {day}. "
                "Say **resume** to end the break now."
            )
        else:
            msg = "Nudges are on. Type **next** for a small step now."
        return _reply(turn, text_message(msg), person=person)
    if person.mid_onboarding:  # they are in the middle of the questions: pick up there
        person = onboarding.resume(person, turn.now)
        question = onboarding.current(person)
        again = text_message("Let's pick up where we were.")
        return _reply(turn, again, *_question(question), person=person)
    person = onboarding.begin(person, turn.now)
    intro = "Let's find your starting point: four quick questions, skip any you like."
    hello = greet and not turn.introduced  # the welcome already said hello: once is enough
    if hello:
        intro = f"Hi {person.first_name()}! 👋 {intro} (Type **help** any time.)"
    messages = (text_message(intro), *_question(onboarding.current(person)))
    return _reply(turn, *messages, person=person, started=True, introduced=hello)


def _question(question: onboarding.Question | None) -> tuple[Message, ...]:
    """The message asking ``question``, if there is one to ask."""
    return () if question is None else (onboarding.question_message(question),)


def _chosen(turn: Turn, value: str) -> Outcome:
    """An onboarding button: the answer to the question it was shown with, and only that one.

    A double-click, or a press on an earlier question's buttons, answers nothing else: the pressed
    question is shown answered in place, quietly (the person already sees the current question)."""
    name, option = onboarding.parse_choice(value)
    current = onboarding.current(turn.person)
    pressed = onboarding.by_name(name) if name is not None else current
    if current is None or pressed is None or pressed.name != current.name:
        shown = onboarding.answered_message(pressed) if pressed is not None else None
        if turn.person.mid_onboarding:
            return _reply(turn, replace=shown)
        msg = "That question is behind us. Type **settings** to change answers."
        return _reply(turn, text_message(msg), replace=shown)
    outcome = _onboarding_answer(turn, option)
    if outcome.person.pending_question == turn.person.pending_question and not outcome.person.onboarded:
        return outcome  # not understood: the question stays as it was
    return replace(outcome, replace=onboarding.answered_message(current, option))


def _recap(person: Person) -> Message:
    """What the questions understood, and the way to change it."""
    text = (
        f"Here's what I understood: {onboarding.recap(person)}. Change any of it with **settings**, any time."
    )
    buttons = (
        Button("Give me a step", Action.NEXT, primary=True),
        Button("Change settings", Action.OPEN_SETTINGS),
    )
    return Message((Text(text), Buttons(buttons)), fallback=plain(text))


def _onboarding_answer(turn: Turn, text: str) -> Outcome:
    try:
        person = onboarding.answer(turn.person, text, turn.now)
    except onboarding.AnswerError as error:
        return _reply(turn, text_message(str(error)), *_question(onboarding.current(turn.person)))
    if not person.onboarded:
        return _reply(turn, *_question(onboarding.current(person)), person=person)
    info = person.zone.info
    text = (
        f"Thanks! You're a **{info.label}** {info.emoji}. {info.summary}\n"
        f"{info.value}\nI'll send a small step now and then, inside your working hours. "
        "Type **journey** for your map or **next** for a step right now."
    )
    return _reply(replace(turn, person=person), text_message(text), _recap(person), person=person)


# --- nudges on demand and answers ---------------------------------------------------------------


def _offer_id(turn: Turn) -> str:
    return offer_id(turn.now, turn.rng.getrandbits(48))


def _next(turn: Turn, basics: bool = False) -> Outcome:
    person = turn.person
    if person.mid_onboarding:
        return _reply(turn, text_message("Your first step comes as soon as we've finished these questions."))
    if not person.onboarded:
        return _start(turn, greet=True)
    if person.opted_out:
        msg = "Nudges are off (you said **stop**). Say **start** whenever you'd like them back."
        return _reply(turn, text_message(msg))
    if person.paused_until is not None and person.paused(turn.now):
        day = views.local_day(person, person.paused_until)
        msg = f"You're on a break until {day}, so I'm keeping quiet. Say **resume** to pick up now."
        return _reply(turn, text_message(msg))
    nudge = choose_nudge(
        person, turn.history, turn.library, turn.now, turn.rng, on_demand=True, basics=basics
    )
    if nudge is None and basics:
        msg = "There's nothing simpler than where you are: you've the basics well covered. Type **next** instead."
        return _reply(turn, text_message(msg))
    if nudge is None:
        msg = "I've nothing new for you right now. That's fine! Log what you've done with **log …**."
        return _reply(turn, text_message(msg))
    offer = nudge.to_offer(_offer_id(turn), turn.now)
    return _reply(turn, rendering.nudge_message(nudge, turn.person, offer.id, turn.library), offers=(offer,))


def _evidence(offer: Offer, library: Library, history: History, action: str) -> ActivityKind | None:
    if offer.category == Category.SHARE:
        if action == Action.FOLLOWED:
            return ActivityKind.FOLLOWED
        return ActivityKind.SHARED_WITH_COMMENT if action == Action.SHARED_WITH_LINE else ActivityKind.SHARED
    key = offer.key
    if offer.category == Category.FOLLOW_UP:
        followed = history.offer(key.partition(":")[2])
        key = followed.key if followed else ""
    template = library.by_id.get(key)
    return template.evidence if template else None


def _why_latest(turn: Turn) -> Outcome:
    shown = [o for o in turn.history.offers if o.counts_toward_cap]
    if not shown and turn.history.bounded and turn.history.earlier.counting:
        raise Incomplete("the latest counting offer")
    if not shown:
        return _reply(turn, text_message("I haven't suggested anything yet. Type **next** for a first step."))
    return _why(turn, shown[-1])


def _why(turn: Turn, offer: Offer) -> Outcome:
    """Why this nudge, why now: what it matched, the time budget, what is left this week."""
    person, library = turn.person, turn.library
    key = offer.key
    if offer.category == Category.FOLLOW_UP:
        followed = turn.history.offer(key.partition(":")[2])
        key = followed.key if followed else key
    template = library.by_id.get(key)
    item = next((c for c in library.content if f"content:{c.id}" == key), None)
    topics: tuple[str, ...] = ()
    networks: tuple[str, ...] = ()
    if item is not None:
        terms = {t.casefold() for t in item.topics}
        topics = tuple(t for t in person.topics if t.casefold() in terms or set(t.casefold().split()) & terms)
        networks = tuple(n for n in person.networks if n in item.networks())
    elif template is not None:
        networks = tuple(n for n in person.networks if not template.networks or n in template.networks)
        if "{topic}" in template.text and person.topics:
            topics = (views.fill("{topic}", person, offer.id),)
    left = max(
        0, int(weekly_allowance(person, turn.history, turn.now)) - counted_this_week(turn.history, turn.now)
    )
    why = views.Why(
        zone=person.zone,
        template_zone=template.zone if template is not None else None,
        topics=topics,
        networks=networks,
        company=offer.company,
        left_this_week=left,
        weekly_cap=person.weekly_cap,
    )
    return _reply(turn, views.why_this(why, person))


def _answer_latest(turn: Turn, answer: Answer) -> Outcome:
    open_offers = _open_offers(turn)
    if not open_offers:
        return _reply(turn, text_message("There's nothing open from me right now. Type **next** for a step."))
    return _answer(turn, open_offers[-1], answer, action="")


def _answer(turn: Turn, offer: Offer, answer: Answer, action: str, network: str | None = None) -> Outcome:
    original = rendering.offer_message(offer, turn.person, turn.library, turn.history)
    item = next((c for c in turn.library.content if f"content:{c.id}" == offer.key), None)
    if original is not None and item is not None and network and turn.person.zone != Zone.CONSUMER:
        # Answered from one network's text: the card keeps showing that text.
        original = views.share_text(
            item, turn.person, offer.id, network, rendering.links(turn.library, item, offer.id)
        )
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
    note = views.ANSWERED_NOTE[answer]
    if answer == Answer.DONE:  # the most frequent answer: in words that vary
        note, person = phrases.pick(person, "ack", phrases.ACK, turn.rng)
    shown = views.answered(original, answer, note) if original else None
    shares: tuple[Share, ...] = ()
    if offer.category == Category.SHARE and action in (Action.SHARED_IT, Action.SHARED_WITH_LINE):
        item_id = offer.key.partition(":")[2]
        shares = (Share(offer.id, item_id, network, with_own_line=action == Action.SHARED_WITH_LINE),)
    outcome = Outcome(person=person, answers=tuple(answers), replace=shown, shares=shares)
    if shown is None:
        outcome = replace(outcome, replies=(text_message(note),))
    return _with_evidence(turn, outcome, activities)


def _pressed(turn: Turn, action: str, value: str) -> Outcome:
    if action == Action.CHOOSE:
        return _chosen(turn, value)
    simple: dict[str, Callable[[], Outcome]] = {
        Action.START: lambda: _start(turn, greet=False),
        Action.NEXT: lambda: _said(turn, "next"),
        Action.SHOW_JOURNEY: lambda: _show_journey(turn),
        Action.HELP: lambda: _said(turn, "help"),
        # Slack and Teams open a form for this button; in plain text, say how to change things.
        Action.OPEN_SETTINGS: lambda: _reply(turn, text_message(views.SETTINGS_HOWTO)),
        Action.RESUME: lambda: _said(turn, "resume"),
        Action.SET_ZONE: lambda: _set_zone(turn, words.zone(value) or turn.person.zone),
        Action.PAUSE: lambda: _pause(turn, value),
        Action.NOTE_IT: lambda: _note_it(turn, value),
        # The question's buttons give way to the answer, so it can't be answered twice.
        Action.DONT_NOTE: lambda: Outcome(turn.person, replace=text_message(noting.not_noted(turn.rng))),
        Action.UNDO: lambda: _undo(turn),
        Action.ABOUT: lambda: _reply(turn, views.about(turn.person)),
        Action.TAKE_BREAK: lambda: _take_break(turn, value),
        Action.STOP_NUDGES: lambda: _take_break(turn, "stop"),
    }
    if action in simple:
        return simple[action]()
    # A share's buttons carry "<offer id> <network>"; every other button the offer id alone.
    offer_ref, _, network = value.partition(" ")
    offer = turn.history.offer(offer_ref)
    if offer is None:
        return _reply(turn, text_message("That suggestion has expired. Type **next** for a fresh one."))
    if action == Action.WHY:
        return _why(turn, offer)
    item = next((c for c in turn.library.content if f"content:{c.id}" == offer.key), None)
    if network and (item is None or network not in item.texts):
        network = ""  # a network the item no longer has: the answer still counts, without it
    sharing = (Action.SHARED_IT, Action.SHARED_WITH_LINE, Action.FOLLOWED)
    if offer.category == Category.SHARE and item is None and action in sharing and offer.answer is None:
        return _reply(turn, text_message(ENDED))
    if action in (Action.COPY_TEXT, Action.PICK_NETWORK):
        if item is None:
            return _reply(turn, text_message("That suggestion has ended, so there's nothing to share now."))
        links = rendering.links(turn.library, item, offer.id)
        if action == Action.COPY_TEXT or not network:
            return _reply(turn, views.copy_text(item, turn.person, links))
        if offer.answer is not None:
            return _reply(turn, text_message("Already noted ✓"))
        return _reply(turn, replace=views.share_text(item, turn.person, offer.id, network, links))
    answers: dict[str, Answer] = {
        Action.DONE: Answer.DONE,
        Action.SHARED_IT: Answer.DONE,
        Action.SHARED_WITH_LINE: Answer.DONE,
        Action.FOLLOWED: Answer.DONE,
        Action.LATER: Answer.LATER,
        Action.NOT_FOR_ME: Answer.NOT_FOR_ME,
    }
    if action not in answers:
        return _reply(turn, text_message("Sorry, I didn't understand that button. Type **help**."))
    return _answer(turn, offer, answers[action], action, network or None)


def _submitted(turn: Turn, values: dict[str, str | list[str]]) -> Outcome:
    try:
        person = apply_settings(turn.person, values, now=turn.now)
    except SettingsError as error:
        return _reply(turn, text_message(str(error)))
    # A form sends every field, prefilled: its time zone is a choice only when the person changed it
    # (a form saved for its topics must not pin the default UTC against the platform's better guess).
    chosen = person.schedule.timezone != turn.person.schedule.timezone
    saved = (text_message("Saved ✓"), views.settings_view(person))
    return _reply(turn, *saved, person=person, timezone_chosen=chosen)


# --- the journey, zones and logging --------------------------------------------------------------


def _show_journey(turn: Turn) -> Outcome:
    person = turn.person
    counts = _counts(turn.history)
    nudge = None
    if person.onboarded:
        # A copy of the generator: the map previews what "next" would pick, without consuming it.
        preview = random.Random()
        preview.setstate(turn.rng.getstate())
        nudge = choose_nudge(person, turn.history, turn.library, turn.now, preview, on_demand=True)
    next_step = None
    if nudge is not None and nudge.template is not None:
        next_step = views.fill(nudge.template.title, person, nudge.key)
    elif nudge is not None and nudge.content is not None:
        next_step = f"share “{nudge.content.title}”"
    elif not person.mid_onboarding and not person.onboarded:
        next_step = "answer four quick questions so I can suggest the right things (type **start**)"
    elif (question := onboarding.still_to_ask(person)) is not None:
        next_step = (
            f"the quick questions, where we left off. Question {onboarding.number(question)} of "
            f"{len(onboarding.QUESTIONS)}: {question.prompt} (answer here, or **start** for the choices)"
        )
    # Milestones in the order they were reached: each is celebrated (and recorded) when reached.
    if turn.history.bounded and any(k.startswith("celebrate:") for k in turn.history.earlier.keys):
        raise Incomplete("the order of older celebrations")
    reached = [
        o.key.removeprefix("celebrate:") for o in turn.history.offers if o.key.startswith("celebrate:")
    ]
    return _reply(turn, views.journey_map(person, counts, next_step, reached))


def _set_zone(turn: Turn, zone: Zone) -> Outcome:
    person = turn.person.evolve(zone=zone)
    info = zone.info
    msg = f"Got it: you're a **{info.label}** {info.emoji}. I'll suggest steps that fit. {info.summary}"
    if person.onboarded:
        return _reply(turn, text_message(msg), person=person)
    # Before or during onboarding: what they said answers "how do you use social media today?", so
    # that question is skipped. Networks and topics are still asked (every suggestion is matched to
    # them), and the time question too: it is one tap, and they came for the questions.
    starting = not person.mid_onboarding
    person = onboarding.zone_declared(person, turn.now)
    hello = starting and not turn.introduced
    if hello:
        msg = f"Hi {person.first_name()}! 👋 {msg}"
    if person.onboarded:  # their words answered the last question left
        return _reply(
            turn, text_message(msg), _recap(person), person=person, started=starting, introduced=hello
        )
    left = onboarding.questions_left(person)
    msg += " One last quick question." if left == 1 else " A few quick questions, so what I suggest fits you."
    return _reply(
        turn,
        text_message(msg),
        *_question(onboarding.current(person)),
        person=person,
        started=starting,
        introduced=hello,
    )


def _log(turn: Turn, text: str, explicit: bool) -> Outcome:
    """Log what the person did: at once when they said **log …**, after their yes otherwise.

    A sentence that tells of something not done (a negation, a question, a plan, a maybe) is never
    logged, even after **log**: "log didn't share it" is not a share."""
    reason = not_done(text) if text else None
    kind = parse_activity(text) if text else None
    if reason is not None:
        line, person = phrases.pick(turn.person, f"not-done-{reason}", noting.REPLIES[reason], turn.rng)
        return _reply(turn, text_message(line), person=person)
    if kind is None:
        if explicit:
            msg = "What did you do? e.g. _log shared an article_, _log replied to comments_, _log wrote a post_."
            return _reply(turn, text_message(msg))
        return _not_understood(turn)
    if not explicit:  # free words are a guess: ask before anything is noted
        waiting = turn.person.evolve(awaiting=AWAITING_NOTE + noting.note_value(kind, text))
        return _reply(turn, noting.confirmation(kind, text, turn.rng), person=waiting)
    return _logged(turn, kind, text)


def _not_understood(turn: Turn) -> Outcome:
    """One line of what the bot can do, and buttons for it; never the same line twice in a row."""
    line, person = phrases.pick(turn.person, "fallback", phrases.FALLBACK, turn.rng)
    buttons = (
        Button("Give me a step", Action.NEXT, primary=True),
        Button("My journey", Action.SHOW_JOURNEY),
        Button("What you understand", Action.HELP),
    )
    message = Message((Text(line), Buttons(buttons)), fallback=line, tags=frozenset({"fallback"}))
    return _reply(turn, message, person=person)


def _logged(turn: Turn, kind: ActivityKind, note: str) -> Outcome:
    activity = Activity(kind, turn.now, note[:500])
    line, person = phrases.pick(turn.person, "logged", phrases.LOGGED, turn.rng)
    outcome = _reply(turn, text_message(line.format(what=kind.label)), person=person)
    return _with_evidence(turn, outcome, (activity,))


def _note_it(turn: Turn, value: str) -> Outcome:
    """*Yes, note it* on a confirmation: log what the sentence told (once, however often pressed)."""
    parsed = noting.parse_value(value)
    if parsed is None:
        return _reply(
            turn, text_message("Sorry, I've lost track of that one. Tell me again, or use **log …**.")
        )
    kind, note = parsed
    last = _last_activity(turn.history)
    shown = text_message(noting.noted(kind))
    if last is not None and last.kind == kind and last.note == note[:500]:
        return _reply(turn, text_message("Already noted ✓"), replace=shown)
    return replace(_logged(turn, kind, note), replace=shown)


def _undo(turn: Turn) -> Outcome:
    """Take back the last logged activity, and the zone move and milestones it brought."""
    history = turn.history
    last = _last_activity(history)
    if last is None:
        return _reply(turn, text_message("There's nothing logged to take back. All clear."))
    if history.bounded and (not history.offers or last.at < history.offers[0].offered_at):
        raise Incomplete("celebrations recorded with the newest activity")  # they may be summed up
    # What the rest of the history still earns stays; a celebration recorded at the very instant of
    # this activity (that is when they are recorded) for anything else was brought by it.
    rest = history.activities[:-1]
    counts = _counts(replace(history, activities=rest))
    still: set[str] = set(milestones_reached(counts, _weeks(history, rest)))
    still |= recognitions(counts[ActivityKind.ORIGINAL_PIECE])
    still |= {m for z in Zone if z <= evidence_zone(counts) and (m := zone_milestone(z)) is not None}
    caused = [
        o
        for o in turn.history.offers
        if o.category == Category.CELEBRATION
        and o.offered_at == last.at
        and o.key.removeprefix("celebrate:") not in still
    ]
    milestones = {o.key.removeprefix("celebrate:") for o in caused}
    person = turn.person
    zone = person.zone
    for name in milestones:
        reached = zone_of_milestone(name)
        if reached is not None and reached == zone and zone > Zone.CONSUMER:
            # Evidence moves a person one zone at a time, so the zone before was the one below.
            zone = Zone(zone - 1)
    person = person.evolve(
        zone=zone, milestones=frozenset(m for m in person.milestones if str(m) not in milestones)
    )
    msg = noting.undone(
        last.kind, moved_back=zone if zone != turn.person.zone else None, milestones=bool(caused)
    )
    return _reply(
        turn,
        text_message(msg),
        person=person,
        removed=Removal(last, tuple(o.id for o in caused)),
    )


def _with_evidence(turn: Turn, outcome: Outcome, new: tuple[Activity, ...]) -> Outcome:
    """Add new activities to an outcome, move the zone if the evidence says so, and celebrate."""
    if not new:
        return outcome
    person = outcome.person
    before = _counts(turn.history)
    counts = before + tally(new)
    zone = progress(person.zone, before, counts)
    reached = set(milestones_reached(counts, _weeks(turn.history, (*turn.history.activities, *new))))
    if zone > person.zone and (m := zone_milestone(zone)) is not None:
        reached.add(m)
    fresh: list[str] = [m for m in Milestone if m in reached and m not in person.milestones]
    # Steady creation is recognised every five pieces, whatever the results (seed 004).
    more = recognitions(counts[ActivityKind.ORIGINAL_PIECE]) - person.milestones
    fresh += sorted(more, key=lambda m: recognised_pieces(m) or 0)
    person = person.evolve(zone=zone, milestones=person.milestones | frozenset(fresh))
    # The person is here right now: celebrate at once and record it, so no later nudge repeats it.
    celebrations = tuple(
        Offer(_offer_id(turn), f"celebrate:{m}", "celebration", Category.CELEBRATION, turn.now) for m in fresh
    )
    # In words that fit where they were before this (a declared creator's first share is no beginning).
    cheers = tuple(views.celebration(m, outcome.person) for m in fresh)
    # A new piece of their own: colleagues may amplify it, if the author would like (seed 004).
    if any(a.kind == ActivityKind.ORIGINAL_PIECE for a in new):
        cheers += (creators.amplify_invite(),)
    return replace(
        outcome,
        person=person,
        activities=outcome.activities + new,
        offers=outcome.offers + celebrations,
        replies=outcome.replies + cheers,
    )
