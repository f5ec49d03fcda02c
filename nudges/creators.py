"""Creators' support (seed 004), the pure part: who is asked, in which order, and in which words.

Three paths, each small and optional:

- **Copy-edit requests.** A creator sends a draft; people with the ``editor`` role are asked; one
  claims it and sends suggestions back; the author accepts or declines them. Grammar and flow, never
  the author's views: the words say so plainly, every time. Socially Engaged people write often and
  want their pieces out quickly, so their requests go first in an editor's queue.
- **Topic requests.** Marketing or sales ask for a piece on a topic; Socially Engaged people whose
  topics match are asked, and may take it on (one or several of them).
- **Amplify colleagues** ("a chorus, not a solo"). An author announces a new piece of their own;
  Sharers whose topics fit get it as a suggestion. It is a colleague's piece, not company content.

The shell (``bot/creators``) stores requests and sends these messages through the outbox; nothing
here reads a clock: ``now`` is an argument.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from nudges.activities import ActivityKind
from nudges.messages import Action, Button, Buttons, Header, Message, Quote, Text, literal, plain
from nudges.words import topic_terms, topics
from nudges.zones import Zone

EDITOR = "editor"
MARKETING_ROLES = frozenset({"marketing", "admin"})
DRAFT_LIMIT = 8000  # characters: a long article fits; a book does not
NOTE_LIMIT = 500
SUGGESTIONS_LIMIT = 8000
TOPIC_LIMIT = 200
CATEGORY = "creators"  # the outbox category: kept until the person's window, never expired


class CreatorAction(StrEnum):
    """Button action ids of the creators' paths; the value is a request id unless said otherwise."""

    ASK_EDIT = "edit.ask"  # opens the draft form (on writing prompts and copy-edit steps)
    CLAIM = "edit.claim"
    SUGGEST = "edit.suggest"  # opens the suggestions form (the editor who claimed it)
    ACCEPT = "edit.accept"
    DECLINE = "edit.decline"
    AMPLIFY = "amplify.ask"  # opens the form for the URL of a new original piece
    TAKE_TOPIC = "topic.take"


class Form(StrEnum):
    """The forms of these paths (a Slack modal's callback id, a Teams card's ``form``)."""

    EDIT = "creators.edit"
    SUGGEST = "creators.suggest"
    AMPLIFY = "creators.amplify"
    TOPIC = "creators.topic"


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    multiline: bool = False
    optional: bool = False
    limit: int = 3000
    hint: str = ""


@dataclass(frozen=True)
class FormSpec:
    """A form any platform can draw: Slack as a modal, Teams as an Adaptive Card."""

    form: Form
    title: str
    intro: str
    fields: tuple[Field, ...]
    submit: str
    ref: str = ""  # the request it answers (the suggestions form), carried back as ``ref``


VOICE = (
    "Edits keep your voice: an editor helps with grammar, spelling and flow, never with what you think "
    "or how you say it. You decide what to take."
)


def form_spec(form: Form, ref: str = "") -> FormSpec:
    if form is Form.EDIT:
        return FormSpec(
            form,
            "Ask for a copy-edit",
            VOICE,
            (
                Field("title", "Working title", optional=True, limit=150),
                Field("draft", "Your draft", multiline=True, limit=DRAFT_LIMIT),
                Field(
                    "note",
                    "Anything the editor should know?",
                    multiline=True,
                    optional=True,
                    limit=NOTE_LIMIT,
                    hint="E.g. English is my second language; it goes out on Thursday.",
                ),
            ),
            "Send",
        )
    if form is Form.SUGGEST:
        return FormSpec(
            form,
            "Send suggestions",
            "Suggest, don't rewrite: fix what trips a reader and leave the author's voice and views as they are.",
            (
                Field(
                    "suggestions",
                    "Your suggestions (or the edited text)",
                    multiline=True,
                    limit=SUGGESTIONS_LIMIT,
                ),
            ),
            "Send back",
            ref,
        )
    if form is Form.AMPLIFY:
        return FormSpec(
            form,
            "Let colleagues amplify it",
            "Colleagues who share your topics get your piece as a suggestion, with a line of their own. "
            "It's yours, not company content.",
            (
                Field("url", "Link to your piece", limit=500),
                Field("title", "Title", limit=150),
                Field("topics", "Topics (comma separated)", optional=True, limit=300),
            ),
            "Announce",
        )
    return FormSpec(
        form,
        "Ask for a piece",
        "Socially Engaged colleagues whose topics match are asked, gently, within their working hours.",
        (
            Field("topic", "Topic", limit=TOPIC_LIMIT),
            Field(
                "why",
                "What would help (a question customers ask, an angle)",
                multiline=True,
                optional=True,
                limit=NOTE_LIMIT,
            ),
        ),
        "Ask",
    )


# --- checking what people typed ---------------------------------------------------------------------


def _text(values: dict[str, str | list[str]], name: str) -> str:
    got = values.get(name, "")
    return (", ".join(got) if isinstance(got, list) else got).strip()


def check(form: Form, values: dict[str, str | list[str]]) -> dict[str, str]:
    """What is wrong with a submitted form, by field (empty: nothing). All or nothing: a form with a
    problem changes nothing."""
    errors: dict[str, str] = {}
    for spec in form_spec(form).fields:
        value = _text(values, spec.name)
        if not value and not spec.optional:
            errors[spec.name] = f"{spec.label} is needed."
        elif len(value) > spec.limit:
            errors[spec.name] = f"{spec.label} is {len(value):,} characters; at most {spec.limit:,} fit here."
    if form is Form.AMPLIFY and "url" not in errors:
        url = _text(values, "url")
        if not (url.startswith(("https://", "http://")) and "." in url and " " not in url):
            errors["url"] = "The link should be a web address starting with https://."
    return errors


def topics_of(text: str) -> tuple[str, ...]:
    return topics(text)


# --- who, and in which order --------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """Someone who might be asked: an editor, a Sharer for an amplified piece, an ambassador."""

    person_id: int
    key: str
    zone: Zone
    topics: tuple[str, ...] = ()
    roles: frozenset[str] = frozenset()
    opted_out: bool = False


def editors(people: Iterable[Candidate], author_id: int) -> list[Candidate]:
    """Who is asked to copy-edit: everyone with the editor role but the author, in a stable order."""
    found = [p for p in people if EDITOR in p.roles and not p.opted_out and p.person_id != author_id]
    return sorted(found, key=lambda p: p.person_id)


def _terms(topics: Iterable[str]) -> set[str]:
    return {term for topic in topics for term in topic_terms(topic)}


def _overlap(person: Candidate, wanted: Sequence[str]) -> bool:
    """A topic in common, in either one's words ("cloud security" meets "security")."""
    return bool(_terms(person.topics) & _terms(wanted))


def _matches(person: Candidate, wanted: Sequence[str]) -> bool:
    return not wanted or _overlap(person, wanted)


def amplifiers(people: Iterable[Candidate], author_id: int, topics: Sequence[str]) -> list[Candidate]:
    """Sharers (and Creators, who share too) whose topics fit a colleague's new piece; never the author."""
    zones = (Zone.SHARER, Zone.CREATOR)
    found = [
        p
        for p in people
        if p.zone in zones and not p.opted_out and p.person_id != author_id and _matches(p, topics)
    ]
    return sorted(found, key=lambda p: p.person_id)


def ambassadors(people: Iterable[Candidate], requester_id: int, topics: Sequence[str]) -> list[Candidate]:
    """Socially Engaged people whose topics match a topic request (a topic in common is needed)."""
    found = [
        p
        for p in people
        if p.zone is Zone.ENGAGED and not p.opted_out and p.person_id != requester_id and _overlap(p, topics)
    ]
    return sorted(found, key=lambda p: p.person_id)


@dataclass(frozen=True)
class Queued:
    request_id: str
    title: str
    author_zone: Zone
    created_at: datetime


def queue_order(requests: Iterable[Queued]) -> list[Queued]:
    """An editor's queue: Socially Engaged authors first (they write often and want it out fast),
    then everyone else; oldest first within each."""
    return sorted(requests, key=lambda r: (r.author_zone is not Zone.ENGAGED, r.created_at, r.request_id))


def reminder_due(created_at: datetime) -> datetime:
    """A working day after a request was made (Friday's request is reminded on Monday): when an
    unclaimed request gets a gentle reminder. The outbox then waits for each editor's own hours."""
    due = created_at + timedelta(days=1)
    while due.weekday() >= 5:
        due += timedelta(days=1)
    return due


# --- the words ----------------------------------------------------------------------------------------


def _title(title: str) -> str:
    return f"**{literal(title)}**" if title else "a draft"


def draft_received(title: str, asked: int, position: int = 1) -> Message:
    """To the author, right after sending a draft."""
    where = "" if position <= 1 else f" There are {position - 1} ahead of it, so it may take a little longer."
    text = (
        f"Thanks, {_title(title)} is on its way to the copy editors ({asked} of them can pick it up).{where} "
        f"I'll bring their suggestions back here.\n\n{VOICE}"
    )
    return Message((Text(text),), plain(text), tags=frozenset({"creators"}))


def no_editors() -> Message:
    text = (
        "There's nobody with the **editor** role yet, so I couldn't send your draft anywhere, and I "
        "haven't kept it. An admin can add the role (`journeybot role grant EMAIL editor`, or the "
        "roster's roles column). Your draft is still yours to send whenever you like."
    )
    return Message((Text(text),), plain(text))


def ask_editor(
    request_id: str, title: str, draft: str, note: str, engaged: bool, reminder: bool = False
) -> Message:
    """To each editor: the draft and a *Claim* button."""
    what = f"**{literal(title)}**" if title else "their draft"
    opener = (
        f"A gentle reminder: {what} is still waiting for someone to pick it up."
        if reminder
        else f"A colleague would love a copy-edit on {what}."
    )
    if engaged:
        opener += " They write often and like to publish quickly, so it's near the top of the queue."
    blocks: list[Header | Text | Quote | Buttons] = [
        Header("Copy-edit request"),
        Text(opener),
        Quote(_excerpt(draft)),
    ]
    if note:
        blocks.append(Text(f"_Their note:_ {literal(note)}"))
    blocks += [
        Text(
            "Grammar, spelling and flow only: their voice and views stay theirs. Claim it if you have time; no worries if not."
        ),
        Buttons((Button("Claim", CreatorAction.CLAIM, request_id, primary=True),)),
    ]
    return Message(tuple(blocks), f"Copy-edit request: {title or 'a draft'}", tags=frozenset({"creators"}))


def _excerpt(text: str, limit: int = 2800) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def claimed_by_you(request_id: str, title: str, draft: str, note: str) -> Message:
    """The claimer's card after *Claim*: the whole draft and *Send suggestions*."""
    blocks: list[Header | Text | Quote | Buttons] = [
        Header("Yours to copy-edit"),
        Text(f"Thank you for picking up {_title(title)}. Here is the draft:"),
        Quote(_excerpt(draft)),
    ]
    if note:
        blocks.append(Text(f"_Their note:_ {literal(note)}"))
    blocks += [
        Text("Suggest, don't rewrite: fix what trips a reader and keep their voice."),
        Buttons((Button("Send suggestions", CreatorAction.SUGGEST, request_id, primary=True),)),
    ]
    return Message(tuple(blocks), f"Yours to copy-edit: {title or 'a draft'}")


def claimed_by_someone(title: str) -> Message:
    """Every other editor's card once someone claimed the request."""
    what = f"**{literal(title)}**" if title else "That draft"
    text = f"{what} was claimed by someone else. Thank you for being there."
    return Message((Text(text),), plain(text))


def too_late(title: str) -> Message:
    text = (
        f"Someone else claimed {_title(title)} just before you, so it's in good hands. Thanks all the same!"
    )
    return Message((Text(text),), plain(text))


def claimed_notice(title: str) -> Message:
    """To the author: an editor has it."""
    text = f"Good news: an editor picked up {_title(title)}. Their suggestions will come here."
    return Message((Text(text),), plain(text))


def suggestions_for_author(request_id: str, title: str, suggestions: str) -> Message:
    blocks = (
        Header("Suggestions for your draft"),
        Text(f"Your copy editor sent suggestions for {_title(title)}:"),
        Quote(_excerpt(suggestions)),
        Text("Take what helps and leave the rest: it's your piece and your voice."),
        Buttons(
            (
                Button("Accept", CreatorAction.ACCEPT, request_id, primary=True),
                Button("Decline", CreatorAction.DECLINE, request_id),
            )
        ),
    )
    return Message(
        blocks, f"Suggestions for your draft: {title or 'your draft'}", tags=frozenset({"creators"})
    )


def suggestions_sent(title: str) -> Message:
    text = f"Sent. Thank you for polishing {_title(title)}: the author decides what to take, and I'll let you know."
    return Message((Text(text),), plain(text))


def author_answered(title: str, accepted: bool, *, to_editor: bool) -> Message:
    if to_editor:
        text = (
            f"The author took your suggestions for {_title(title)} on board. Thank you!"
            if accepted
            else f"The author kept {_title(title)} as it was this time. Thank you all the same: a second pair of eyes always helps."
        )
    else:
        text = (
            "Accepted. I've let your editor know, with thanks. Enjoy publishing it!"
            if accepted
            else "Declined, no problem: it's your piece. I've let your editor know, kindly."
        )
    return Message((Text(text),), plain(text), tags=frozenset({"creators"}))


def queue_message(queue: Sequence[Queued], limit: int = 5) -> Message:
    """An editor's queue, each draft with its *Claim* (the ones an editor missed, or a text client)."""
    if not queue:
        text = "No drafts are waiting for an editor right now. Thank you for checking!"
        return Message((Text(text),), text)
    blocks: list[Text | Buttons] = [Text("Waiting for an editor, in the order they'll be looked at:")]
    for q in queue[:limit]:
        engaged = (
            " (a Socially Engaged writer: they like to publish quickly)"
            if q.author_zone is Zone.ENGAGED
            else ""
        )
        blocks += [
            Text(f"- {_title(q.title)}{engaged}"),
            Buttons((Button("Claim", CreatorAction.CLAIM, q.request_id),)),
        ]
    if len(queue) > limit:
        blocks.append(Text(f"…and {len(queue) - limit} more after these."))
    return Message(tuple(blocks), plain(" ".join(b.text for b in blocks if isinstance(b, Text))))


def nothing_waiting() -> Message:
    text = "Nothing is waiting for you on the copy-editing path. Type **edit** to send a draft whenever you like."
    return Message((Text(text),), plain(text))


def not_yours(what: str) -> Message:
    text = f"That {what} isn't one I can change for you any more (it was answered, or it belongs to someone else)."
    return Message((Text(text),), plain(text))


def editors_only() -> Message:
    text = "That's for people with the **editor** role. If you'd like to help colleagues polish their drafts, ask your admin to add it."
    return Message((Text(text),), plain(text))


def marketing_only() -> Message:
    text = "Asking colleagues for a piece is for people with the **marketing** role (sales included). Ask your admin if you should have it."
    return Message((Text(text),), plain(text))


def form_problems(errors: dict[str, str]) -> Message:
    lines = "\n".join(f"- {literal(message)}" for message in errors.values())
    text = f"Nothing was sent yet. Please correct:\n{lines}"
    return Message((Text(text),), plain(text))


def how_to(form: Form, ref: str = "") -> Message:
    """The console's (and any text-only client's) way into a form."""
    texts = {
        Form.EDIT: f"To ask for a copy-edit, type **edit** followed by your draft (one line is fine). {VOICE}",
        Form.SUGGEST: f"To send your suggestions, type **suggest {ref or '<request id>'}** followed by them.",
        Form.AMPLIFY: "To let colleagues amplify your piece, type **amplify** _link_ _title_.",
        Form.TOPIC: (
            "To ask for a piece, type **request** _topic_, and if you like **--** and what would help, "
            "e.g. _request cloud costs -- what customers ask before they buy_."
        ),
    }
    return Message((Text(texts[form]),), plain(texts[form]))


# Amplify ---------------------------------------------------------------------------------------------


def amplify_invite() -> Message:
    """After an original piece is logged: the way to announce it, if the author would like."""
    text = (
        "Would you like colleagues to amplify it? Give me the link and Sharers whose topics fit will get "
        "it as a suggestion, to pass on in their own words. Entirely up to you."
    )
    blocks = (Text(text), Buttons((Button("Let colleagues amplify it", CreatorAction.AMPLIFY),)))
    return Message(blocks, plain(text))


def ask_edit_button() -> Button:
    """On writing prompts and copy-edit steps: the way into the copy-editing path."""
    return Button("Ask for a copy-edit", CreatorAction.ASK_EDIT)


def amplify_suggestion(author: str, title: str, url: str) -> Message:
    """To a Sharer whose topics fit: a colleague's own piece (not company content: it is no offer, so
    it never counts toward the one-in-three company guard). *I passed it on* notes an amplification."""
    who = literal(author) if author else "A colleague"
    text = (
        f"{who} just published a piece of their own: [{_link_label(title)}]({url}). If it speaks to you, "
        "pass it on with a line of your own. A chorus, not a solo; and only if you'd like to."
    )
    passed = Button("I passed it on", Action.NOTE_IT, f"{ActivityKind.AMPLIFIED.value}|{title[:200]}")
    blocks = (Header("A colleague's new piece"), Text(text), Buttons((passed,)))
    return Message(blocks, plain(text), tags=frozenset({"creators"}))


def _link_label(text: str) -> str:
    return literal(text).replace("[", "(").replace("]", ")")


def amplify_sent(reached: int, matched: int | None = None) -> Message:
    if not reached and matched:
        text = (
            "The colleagues whose topics fit have had enough suggestions this week, so I've left them be. "
            "Post the link in your team channel instead? Congratulations on the new piece!"
        )
    elif reached:
        text = (
            f"Announced. {reached} colleague(s) whose topics fit will see it in their working hours, "
            "as a suggestion they're free to pass on. Congratulations on the new piece!"
        )
    else:
        text = "Nobody's topics match it yet, so I haven't announced it to anyone. Congratulations on the new piece all the same!"
    return Message((Text(text),), plain(text))


# Topic requests -----------------------------------------------------------------------------------


def topic_ask(request_id: str, topic: str, why: str) -> Message:
    text = f"Marketing would love a piece on **{literal(topic)}**, and it's one of your topics."
    if why:
        text += f" What would help: {literal(why)}"
    text += " Only if it appeals and you have the time; a no needs no reply."
    blocks = (
        Header("A topic you know"),
        Text(text),
        Buttons((Button("I'll write it", CreatorAction.TAKE_TOPIC, request_id, primary=True),)),
    )
    return Message(blocks, f"A piece on {topic}?", tags=frozenset({"creators"}))


def topic_sent(topic: str, reached: int, matched: int | None = None) -> Message:
    """To the requester. ``matched``: how many fit, before the weekly limits left some out."""
    if not reached and matched:
        text = (
            f"Everyone whose topics include **{literal(topic)}** has had enough asks this week, so I've "
            "left them be. Ask again next week, or share the topic in your team channel."
        )
    elif reached:
        text = (
            f"Asked {reached} Socially Engaged colleague(s) whose topics include **{literal(topic)}**, "
            "within their working hours. I'll tell you whoever takes it on."
        )
    else:
        text = f"Nobody Socially Engaged lists **{literal(topic)}** among their topics yet, so I haven't asked anyone."
    return Message((Text(text),), plain(text))


def topic_taken(topic: str) -> Message:
    text = f"Wonderful, thank you! I've told marketing you'll write about **{literal(topic)}**. No deadline from me."
    return Message((Text(text),), plain(text))


def topic_taken_notice(topic: str, name: str) -> Message:
    who = literal(name) if name else "A colleague"
    text = f"{who} will write a piece on **{literal(topic)}**. Maybe thank them when it's out."
    return Message((Text(text),), plain(text), tags=frozenset({"creators"}))
