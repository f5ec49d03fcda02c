"""The engine's messages: journey map, nudges, help and settings, in the neutral model."""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from nudges import creators
from nudges.activities import ActivityKind
from nudges.library import NETWORK_LABELS, Category, ContentItem, Template, network_label, posted_text
from nudges.messages import (
    Action,
    Answer,
    Block,
    Button,
    Buttons,
    Divider,
    Fields,
    Header,
    Message,
    Quote,
    Text,
    link_label,
    literal,
    plain,
)
from nudges.person import Person
from nudges.progression import Milestone, recognised_pieces, to_next_zone
from nudges.schedule import local_time
from nudges.zones import ZONES, Zone

ANSWERED_NOTE = {
    Answer.DONE: "✅ Done. Nicely done!",
    Answer.LATER: "🕑 Later it is. I'll check back gently in a few days.",
    Answer.NOT_FOR_ME: "👍 Not for you: I won't suggest this kind of thing again.",
}

HELP = """Here's what I understand (all of it optional, always):
- **next**: one small next step, now (**basics** for a simpler one)
- **why**: why I suggested my last step, and how to change what you get
- **journey**: your map: the four zones, where you are, what's next
- **done**, **later**, **not for me**: answer my last suggestion
- **log** _what you did_: e.g. _log I shared an article with my own comment_ (**undo** takes it back)
- **I'm a sharer** (or consumer, creator, engaged): tell me where you are
- **edit** _your draft_: ask a copy editor for a grammar pass (your voice stays yours); **edits**: what's waiting
- **amplify** _link title_: let colleagues whose topics fit pass on a piece you wrote
- **settings**: your networks, topics, hours; **set topics** _a, b_ and friends change them
- **pause** _1 week_ (or _until Monday_) / **resume**: a break whenever you like
- **stop**: no more nudges at all; **start** to come back
- **quit**: end this chat for now (I'll be here when you come back)"""

# "What is this?", "why should I do this?": what the journey gives them (JOURNEY.md, seeds 000-004).
ABOUT = """I'm journeybot: I help you find your own pace on social media, one small step at a time.
- **What you get:** news and views of your field in your feed, your interests visible to people who share them, and conversations that make you known before you ever meet.
- **How:** a short step now and then (follow a few good voices, share what you find useful, add a line of your own, maybe write one day), at times that suit you. One network is plenty; one post a month is fine.
- **Your call, always:** no ranking, no guilt; _not for me_, **pause** or **stop** whenever you like."""

SETTINGS_HOWTO = """Tell me what to change, one setting at a time:
- **set networks** _linkedin, mastodon_
- **set topics** _cloud security, hiring_
- **set timezone** _Europe/Berlin_
- **set hours** _09:00-17:00_: your working hours, the only time I write
- **set quiet** _20:00-08:00_, or **set quiet off**
- **set cap** _1_: nudges per week, at most (1 to 7)
- **set celebrate public**: your milestones cheered by name in your team's digest (or **private**, the default)"""

# The order of the journey, for milestones whose moment is not on record.
JOURNEY_ORDER = (
    Milestone.FIRST_SHARE,
    Milestone.FIRST_QUESTION,
    Milestone.FIRST_OWN_COMMENT,
    Milestone.REACHED_SHARER,
    Milestone.FIRST_CONVERSATION,
    Milestone.FIVE_COMMENTS,
    Milestone.AMPLIFIED_A_COLLEAGUE,
    Milestone.FIRST_OWN_POST,
    Milestone.REACHED_CREATOR,
    Milestone.TEN_STEADY_WEEKS,
    Milestone.FIVE_ORIGINALS,
    Milestone.REACHED_ENGAGED,
)


# How a person tells the bot where they are (nudges.dialogue understands each of these).
SAY_ZONE = {
    Zone.CONSUMER: "I'm a consumer",
    Zone.SHARER: "I'm a sharer",
    Zone.CREATOR: "I'm a creator",
    Zone.ENGAGED: "I'm socially engaged",
}


def fill(text: str, person: Person, salt: str) -> str:
    """Fill ``{topic}`` and ``{network}`` from the person's own choices, stably for one offer."""
    pick = zlib.crc32(salt.encode())
    topic = person.topics[pick % len(person.topics)] if person.topics else "your field"
    network = (
        NETWORK_LABELS.get(person.networks[pick % len(person.networks)], "your network")
        if person.networks
        else "your favourite network"
    )
    return text.replace("{topic}", literal(topic)).replace("{network}", network)


def welcome(person: Person) -> Message:
    text = (
        f"Hi {person.first_name()}! 👋 I'm journeybot. I help you find your own pace on social media: "
        "reading, sharing, writing and talking with people in your field.\n"
        "It's entirely optional. One small step now and then, at times that suit you, and you can "
        "say _not for me_, _pause_ or _stop_ whenever you like."
    )
    buttons = Buttons(
        (Button("Let's start", Action.START, primary=True), Button("What is this?", Action.ABOUT))
    )
    return Message((Header("Welcome to your journey"), Text(text), buttons), fallback=text)


def about(person: Person) -> Message:
    """What the journey is for, with the way in (or on)."""
    if person.onboarded:
        first = Button("Give me a step", Action.NEXT, primary=True)
    elif person.mid_onboarding:
        first = Button("Continue the questions", Action.START, primary=True)
    else:
        first = Button("Let's start", Action.START, primary=True)
    buttons = Buttons((first, Button("My journey", Action.SHOW_JOURNEY)))
    return Message((Text(ABOUT), buttons), fallback=plain(ABOUT))


def pause_question(person: Person, now: datetime) -> Message:
    """ "Leave me alone", "mute", "not now": a break or an end? Asked, never assumed."""
    text = "Would you like a break? I can go quiet for a week or two, or stop the nudges altogether."
    if person.opted_out:
        text = "Nudges are already off, so I'll only answer when you write. Want a break from that too?"
    elif person.paused_until is not None and person.paused(now):
        text = f"You're on a break until {local_day(person, person.paused_until)}. Make it longer, or stop altogether?"
    text += " Either way, you can come back whenever you like."
    buttons = Buttons(
        (
            Button("Pause a week", Action.TAKE_BREAK, "7", primary=True),
            Button("Pause two weeks", Action.TAKE_BREAK, "14"),
            Button("Stop nudges", Action.STOP_NUDGES),
        )
    )
    return Message((Text(text), buttons), fallback=plain(text), tags=frozenset({"pause-question"}))


def local_day(person: Person, instant: datetime) -> str:
    """A day as the person says it, in their own time zone: "Tuesday 17 March"."""
    local = local_time(person.schedule, instant)
    return f"{local:%A} {local.day} {local:%B}"


def local_moment(person: Person, instant: datetime) -> str:
    """An instant on the person's own clock: "Tuesday 17 March 2026, 10:00"."""
    local = local_time(person.schedule, instant)
    return f"{local_day(person, instant)} {local.year}, {local:%H:%M}"


def journey_map(
    person: Person, counts: Counter[ActivityKind], next_step: str | None, reached: Sequence[str] = ()
) -> Message:
    """The four zones, where the person is, what the evidence still lacks, their milestones (in
    ``reached`` order, the rest in journey order) and their next step."""
    blocks: list[Block] = [Header("Your journey")]
    for zone, info in ZONES.items():
        here = zone == person.zone
        marker = "📍 " if here else ("✔️ " if zone < person.zone else "○ ")
        line = f"{marker}**{info.label}** {info.emoji}: {info.summary}"
        if here:
            line += "\n" + "\n".join(f"- {s}" for s in info.steps)
        blocks.append(Text(line))
    blocks.append(Divider())
    gaps = to_next_zone(person.zone, counts)
    nxt = person.zone.next()
    pairs = [("You are", f"{person.zone.label} {person.zone.info.emoji}")]
    if nxt and gaps:
        pairs.append((f"Toward {nxt.label}", ", ".join(gaps) + " (no rush)"))
    elif nxt:  # they said they are here, and what they logged already fits the next zone
        pairs.append(
            (f"Toward {nxt.label}", f"you're there already: say _{SAY_ZONE[nxt]}_ when it feels right")
        )
    if person.milestones:
        order = {m: i for i, m in enumerate(dict.fromkeys((*reached, *JOURNEY_ORDER)))}
        ordered = sorted(person.milestones, key=lambda m: (order.get(m, len(order)), m))
        pairs.append(("Milestones", ", ".join(_milestone_label(m) for m in ordered)))
    blocks.append(Fields(tuple(pairs)))
    if next_step:
        blocks.append(Text(f"**Your next step:** {next_step}"))
    if person.onboarded:
        button = Button("Next step", Action.NEXT, primary=True)
    elif not person.mid_onboarding:
        button = Button("Let's start", Action.START, primary=True)
    else:  # a "next step" button here would only land in the middle of the questions
        button = Button("Continue the questions", Action.START, primary=True)
    blocks.append(Buttons((button,)))
    fallback = f"Your journey: you are a {person.zone.label}."
    return Message(tuple(blocks), fallback=fallback)


def _milestone_label(value: str) -> str:
    if (pieces := recognised_pieces(value)) is not None:
        return f"{pieces} original pieces"
    try:
        return Milestone(value).name.replace("_", " ").capitalize()
    except ValueError:
        return value


# How a stretch step (one from the zone above) introduces itself: optional, an invitation.
STRETCH_INTROS = (
    "✨ _Optional, and from the next zone: ready to try something a little further along?_",
    "✨ _A stretch, if you fancy one: this step belongs to the next zone. Skip it happily._",
    "✨ _You've done most of your zone's steps, so here's one from the next. Entirely optional._",
    "✨ _Something from a bit further along the path, for when you feel like it. No pressure._",
)


def step_nudge(template: Template, person: Person, offer_id: str) -> Message:
    text = fill(template.text, person, offer_id)
    minutes = f"⏱ about {template.minutes} minute{'s' if template.minutes != 1 else ''}"
    blocks: list[Block] = [Header(fill(template.title, person, offer_id)), Text(f"{text}\n_{minutes}_")]
    if template.zone > person.zone:
        blocks.insert(1, Text(STRETCH_INTROS[zlib.crc32(offer_id.encode()) % len(STRETCH_INTROS)]))
    answers = _answers(offer_id)
    if template.category == Category.PROMPT or template.kind == "copy-edit":
        # Writing prompts and copy-edit steps lead straight into the copy-editing path.
        answers = Buttons((*answers.buttons, creators.ask_edit_button()))
    return Message(
        blocks=(*blocks, answers),
        fallback=f"{template.title}: {text}",
        offer_id=offer_id,
    )


def _share_networks(item: ContentItem, person: Person) -> list[str]:
    """The item's networks the person uses, in their order; all of the item's if none."""
    mine = [n for n in person.networks if n in item.texts]
    return mine or list(item.networks())


def _item_intro(item: ContentItem) -> Text:
    summary = f"\n{item.summary}" if item.summary else ""
    return Text(f"[{link_label(item.title)}]({item.url}){summary}")


def share_nudge(
    item: ContentItem, person: Person, offer_id: str, link: Callable[[str], str] | None = None
) -> Message:
    """A suggested share. Consumers get it as something worth following instead (seed 004: their
    step is to follow voices, not to post). With one network, its ready text right away; with
    several, the person picks the network first and the card turns into that network's text."""
    if person.zone == Zone.CONSUMER:
        return follow_nudge(item, offer_id)
    networks = _share_networks(item, person)
    if len(networks) == 1:
        return share_text(item, person, offer_id, networks[0], link)
    picks = tuple(
        Button(network_label(n), Action.PICK_NETWORK, f"{offer_id} {n}", primary=i == 0)
        for i, n in enumerate(networks)
    )
    blocks = (
        Header("Something to share, if it speaks to you"),
        _item_intro(item),
        Text("Where would you share it? Pick a network and I'll show its ready text."),
        Buttons(
            (
                *picks,
                Button("Later", Action.LATER, offer_id),
                Button("Not for me", Action.NOT_FOR_ME, offer_id),
                Button(WHY_LABEL, Action.WHY, offer_id),
            )
        ),
    )
    return Message(blocks, fallback=f"Something to share: {item.title}", offer_id=offer_id)


def share_text(
    item: ContentItem, person: Person, offer_id: str, network: str, link: Callable[[str], str] | None = None
) -> Message:
    """The item's ready text for one network, with the person's own link in it, ready to copy."""
    url = link(network) if link is not None else item.url
    text = posted_text(item.text_for(network, person.key), item.url, url)
    label = network_label(network)
    blocks: list[Block] = [
        Header("Something to share, if it speaks to you"),
        _item_intro(item),
        Quote(text, caption=f"Ready for {label}: copy it, change anything you like"),
    ]
    value = f"{offer_id} {network}"
    buttons = [Button(f"I shared it on {label}", Action.SHARED_IT, value, primary=True)]
    if person.zone >= Zone.SHARER:
        blocks.append(
            Text(
                "A line of your own on top (agree, disagree, add an example) makes it yours, not an announcement."
            )
        )
        buttons.append(Button("Shared + my own line", Action.SHARED_WITH_LINE, value))
    # On a phone a quoted block is hard to select: "Copy text" sends the text alone, to long-press.
    buttons.append(Button("Copy text", Action.COPY_TEXT, value))
    others = [n for n in _share_networks(item, person) if n != network]
    if others:
        buttons.append(Button("Another network", Action.PICK_NETWORK, f"{offer_id} {others[0]}"))
    buttons += [
        Button("Later", Action.LATER, offer_id),
        Button("Not for me", Action.NOT_FOR_ME, offer_id),
        Button(WHY_LABEL, Action.WHY, offer_id),
    ]
    blocks.append(Buttons(tuple(buttons)))
    return Message(tuple(blocks), fallback=f"Something to share: {item.title}", offer_id=offer_id)


def follow_nudge(item: ContentItem, offer_id: str) -> Message:
    """For a Content Consumer: a good read, and the people and hashtags behind it worth following."""
    follow = item.follow or tuple("#" + "".join(t.split()) for t in item.topics)
    if follow:
        lines = "\n".join(f"- {name}" for name in follow)
        hint = f"If it's your kind of thing, follow these and more like it turns up in your feed:\n{lines}"
    else:
        hint = "If it's your kind of thing, follow its author: more like it will find you."
    blocks = (
        Header("Worth a read, and worth a follow"),
        _item_intro(item),
        Text(hint),
        Buttons(
            (
                Button("Followed", Action.FOLLOWED, offer_id, primary=True),
                Button("Later", Action.LATER, offer_id),
                Button("Not for me", Action.NOT_FOR_ME, offer_id),
            )
        ),
    )
    return Message(blocks, fallback=f"Worth a follow: {item.title}", offer_id=offer_id)


def suggestion_ended(item: ContentItem) -> Message:
    """What a card already sent turns into when its item expires or is withdrawn."""
    text = f"_{item.title}_: this suggestion has ended, so there's nothing to do here. Thanks for looking!"
    return Message((Text(text),), fallback=f"{item.title}: this suggestion has ended.")


def caught_up(person: Person, offer_id: str) -> Message:
    """Everything that fits the person was offered lately: say so, and offer a stretch or a break."""
    further = (
        "Fancy a step from the next zone, or a proper break? Both are good answers."
        if person.zone < Zone.ENGAGED
        else "Fancy a proper break? Or type **basics** for a simple step, just for fun."
    )
    text = (
        f"You're all caught up, {person.first_name()}: you've had every step I have that fits you "
        f"right now. That's lovely work. {further}"
    )
    buttons: list[Button] = []
    if person.zone < Zone.ENGAGED:
        buttons.append(Button("A stretch step", Action.NEXT, primary=True))
    buttons += [
        Button("Two weeks off", Action.PAUSE, str(CAUGHT_UP_BREAK_DAYS)),
        Button("Not now", Action.LATER, offer_id),
    ]
    return Message((Text(text), Buttons(tuple(buttons))), fallback=plain(text), offer_id=offer_id)


CAUGHT_UP_BREAK_DAYS = 14
WHY_LABEL = "Why this?"
# The onboarding answers for time, as the weekly cap they set.
TIME_BUDGETS = {1: "about 15 minutes a week", 2: "about 30 minutes a week", 3: "about an hour a week"}


@dataclass(frozen=True)
class Why:
    """What "why this?" says about one nudge (``nudges.dialogue`` gathers it)."""

    zone: Zone
    template_zone: Zone | None  # the step's zone (None: a share or a note)
    topics: tuple[str, ...]  # the person's topics it matched, if any
    networks: tuple[str, ...]  # the person's networks it fits
    company: bool
    left_this_week: int
    weekly_cap: int


def why_this(why: Why, person: Person) -> Message:
    """Why this nudge, why now, and how to change any of it."""
    lines = [f"- **Your zone**: {why.zone.label} {why.zone.info.emoji}."]
    if why.template_zone is not None and why.template_zone > why.zone:
        lines[0] += (
            f" This one is a stretch step from **{why.template_zone.label}**: you've done most of your "
            "zone's core steps, so now and then I offer one from the next. Optional, always."
        )
    elif why.template_zone is not None:
        lines[0] += " It's one of your zone's own steps."
    if why.topics:
        lines.append(f"- **Your topics**: it matches _{', '.join(why.topics)}_.")
    elif person.topics:
        lines.append(f"- **Your topics**: {', '.join(person.topics)} (this step works for any of them).")
    else:
        lines.append("- **Your topics**: none chosen yet, so I keep it general.")
    if why.networks:
        lines.append(f"- **Your networks**: {', '.join(NETWORK_LABELS.get(n, n) for n in why.networks)}.")
    if why.company:
        lines.append(
            "- It's from our own organisation. I keep those to at most one in three of what I suggest: "
            "your feed should sound like you."
        )
    budget = TIME_BUDGETS.get(why.weekly_cap, "more than an hour a week")
    left = why.left_this_week
    lines.append(
        f"- **Your time**: you chose {budget}, so at most {why.weekly_cap} nudge"
        f"{'s' if why.weekly_cap != 1 else ''} a week, only in your working hours. "
        + (f"{left} left this week." if left else "That's all for this week.")
    )
    lines.append(
        "- **To change it**: _set topics …_, _set networks …_, _set cap 1_, _set hours 09:00-17:00_, "
        "_pause 14_, or tell me where you are (_I'm a sharer_). **settings** shows it all."
    )
    text = "\n".join(lines)
    return Message((Header("Why this, why now"), Text(text)), fallback=plain(text))


def follow_up_nudge(template: Template, person: Person, offer_id: str) -> Message:
    text = fill(template.follow_up, person, offer_id)
    return Message(
        blocks=(
            Text(f"_{fill(template.title, person, offer_id)}_\n{text}"),
            _answers(offer_id, later="Not now"),
        ),
        fallback=text,
        offer_id=offer_id,
    )


def recognition(pieces: int) -> str:
    """The recognition after every five original pieces: for the steadiness, not the numbers."""
    lines = (
        f"{pieces} original pieces. That's a real body of work, and it deserves recognition "
        "whatever the likes say. Thank you for keeping at it.",
        f"{pieces} original pieces! Steady writing like yours is what others share and learn from. "
        "Take a moment to be proud of it.",
        f"Another five: {pieces} original pieces now. Showing up again and again is the hard part, "
        "and you're doing it.",
    )
    return lines[(pieces // 5) % len(lines)]


# First steps someone beyond them already takes: a declared creator's first share noted here is
# not "how it all starts" (milestone → (what it is, the zone from which it is old news)).
FIRSTS_ON_RECORD = {
    Milestone.FIRST_SHARE: ("share", Zone.SHARER),
    Milestone.FIRST_QUESTION: ("question asked in the open", Zone.CREATOR),
    Milestone.FIRST_OWN_COMMENT: ("share with a line of your own", Zone.CREATOR),
    Milestone.FIRST_CONVERSATION: ("conversation", Zone.CREATOR),
    Milestone.FIRST_OWN_POST: ("post of your own", Zone.CREATOR),
}
FIRST_ON_RECORD = (
    "Your first {what} on record here. Good to have it noted: it all counts.",
    "First {what} noted here. Nice to see it on your journey.",
)


def celebration(milestone: str, person: Person) -> Message:
    """A milestone's cheer, in words that fit where ``person`` was before it (their declared or
    earned zone): a creator's first logged share is welcomed as noted, not as a beginning."""
    pieces = recognised_pieces(milestone)
    try:
        cheer = recognition(pieces) if pieces is not None else Milestone(milestone).cheer
    except ValueError:
        cheer = "A milestone reached. Well done!"
    first = FIRSTS_ON_RECORD.get(milestone)  # type: ignore[call-overload]
    if first is not None and person.zone >= first[1]:
        cheer = FIRST_ON_RECORD[zlib.crc32(milestone.encode()) % len(FIRST_ON_RECORD)].format(what=first[0])
    text = f"🎉 {cheer}"
    return Message((Text(text), Buttons((Button("See my journey", Action.SHOW_JOURNEY),))), fallback=text)


def answered(original: Message, answer: Answer, note: str | None = None) -> Message:
    """The nudge as it looks once answered: same content, buttons replaced by the answer (``note``,
    or the answer's usual words)."""
    kept = tuple(b for b in original.blocks if not isinstance(b, Buttons))
    return Message(
        (*kept, Text(note or ANSWERED_NOTE[answer])), fallback=original.fallback, offer_id=original.offer_id
    )


def copy_text(item: ContentItem, person: Person, link: Callable[[str], str] | None = None) -> Message:
    mine = _share_networks(item, person)
    texts = {
        n: posted_text(item.text_for(n, person.key), item.url, link(n) if link else item.url) for n in mine
    }
    quotes = tuple(Quote(text, caption=network_label(n)) for n, text in texts.items())
    return Message((Text("Here's the text, ready to paste:"), *quotes), fallback=texts[mine[0]])


def settings_view(person: Person) -> Message:
    s = person.schedule
    days = "".join("MTWTFSS"[d] if d in s.work_days else "·" for d in range(7))
    quiet = f"{s.quiet_start:%H:%M}–{s.quiet_end:%H:%M}" if s.quiet_start and s.quiet_end else "none"
    pairs = (
        ("Networks", ", ".join(NETWORK_LABELS.get(n, n) for n in person.networks) or "not chosen yet"),
        ("Topics", literal(", ".join(person.topics)) or "not chosen yet"),
        ("Time zone", s.timezone),
        ("Working hours", f"{s.work_start:%H:%M}–{s.work_end:%H:%M} ({days})"),
        ("Quiet hours", quiet),
        ("Nudges per week", f"at most {person.weekly_cap}"),
        (
            "Paused until",
            local_moment(person, person.paused_until) if person.paused_until else "not paused",
        ),
        (
            "Milestones",
            "cheered by name in your team's digest" if person.celebrate_publicly else "just between us",
        ),
    )
    hint = (
        "Change with e.g. _set topics cloud, hiring_ · _set networks linkedin_ · _set hours 09:00-17:00_ · "
    )
    hint += "_set quiet 20:00-08:00_ · _set timezone Europe/Berlin_ · _set cap 1_ · _set celebrate public_"
    buttons = Buttons((Button("Edit settings", Action.OPEN_SETTINGS),))
    return Message((Header("Your settings"), Fields(pairs), Text(hint), buttons), fallback="Your settings")


def _answers(offer_id: str, later: str = "Later") -> Buttons:
    return Buttons(
        (
            Button("Done", Action.DONE, offer_id, primary=True),
            Button(later, Action.LATER, offer_id),
            Button("Not for me", Action.NOT_FOR_ME, offer_id),
            Button(WHY_LABEL, Action.WHY, offer_id),
        )
    )


CATEGORY_WORDS = {Category.STEP: "step", Category.PROMPT: "writing prompt", Category.SHARE: "share"}
