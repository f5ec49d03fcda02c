"""What a short sentence asks for, the way people say it: "hi", "thx!", "leave me alone", "whats nxt".

The rules are data: a table of everyday phrasings per intent, compared after ``normal`` (lower
case, accents folded, punctuation and emoji dropped, polite filler trimmed), first exactly, then
with a few typos allowed (``difflib``, standard library: the engine imports nothing else). A
sentence that tells of something done ("I shared a post") is not an intent here: the dialogue
offers to note it. Edit the table to teach the bot a new way of saying something, and add the
sentence to ``tests/nudges/utterances.txt``.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from enum import StrEnum


class Intent(StrEnum):
    GREETING = "greeting"  # "hi", "good morning"
    THANKS = "thanks"  # "thanks!", "cheers"
    PAUSE = "pause"  # "leave me alone", "not now", "mute": asked which (a week, two, or stop)
    ABOUT = "about"  # "why should I do this?", "what is this?"
    NEXT = "next"  # "what's next?"
    PROGRESS = "progress"  # "how am I doing?"
    HELP = "help"  # "help", "what can you do?"
    JOURNEY = "journey"  # "show my journey", "jouney"
    SETTINGS = "settings"  # "my settings", "settigns"


PHRASES: dict[Intent, tuple[str, ...]] = {
    Intent.GREETING: (
        "hi", "hii", "hiii", "hello", "helo", "hallo", "hey", "heya", "hiya", "howdy", "yo", "hola",
        "bonjour", "moin", "servus", "hi there", "hello there", "hey there", "hey you", "greetings",
        "good morning", "morning", "good afternoon", "good evening", "evening", "gm", "hi journeybot",
        "hello journeybot", "hey journeybot", "hi bot", "hello bot", "hey bot", "whats up", "sup",
        "how are you", "how are you doing", "hows it going", "how is it going",
    ),
    Intent.THANKS: (
        "thanks", "thank you", "thank u", "thanku", "thankyou", "thnaks", "thansk", "thnks", "tanks", "tnx", "thx", "thnx", "ty", "tysm", "cheers", "ta",
        "thanks a lot", "thanks so much", "thank you so much", "thank you very much", "many thanks",
        "much appreciated", "appreciate it", "great thanks", "ok thanks", "okay thanks", "ok thank you",
        "perfect thanks", "awesome thanks", "cool thanks", "nice thanks", "thanks a bunch", "merci",
        "danke", "gracias", "thanks mate", "cheers mate", "lovely thanks", "thats great thanks",
    ),
    Intent.PAUSE: (
        "stop it", "please stop", "stop please", "pls stop", "plz stop", "just stop", "stop that",
        "leave me alone", "leave me be", "mute", "mute it", "mute this", "mute notifications",
        "mute yourself", "unsubscribe me", "unsubscribe please", "snooze", "snooze it", "snooze this",
        "not now", "not today", "not this week", "too many messages", "too much", "stop messaging me",
        "stop sending me messages", "stop sending messages", "stop nudging me", "stop the nudges",
        "no more nudges", "no more messages", "go away", "shut up", "be quiet", "quiet please",
        "quiet", "enough", "thats enough", "give me a break", "take a break", "i need a break",
        "need a break", "i want a break", "break please", "stop bothering me", "dont bother me",
        "do not disturb", "dnd", "im busy", "i am busy", "busy", "busy week", "hold off", "hold on",
        "turn off", "turn it off", "turn off notifications", "turn off nudges", "switch off", "off",
        "silence", "hush", "opt me out", "remove me", "i want to stop", "can i stop", "how do i stop",
        "how do i unsubscribe", "how do i pause", "can i pause",
    ),
    Intent.ABOUT: (
        "why should i do this", "why should i", "why would i do this", "why bother", "why do this",
        "what is this", "whats this", "what is this for", "whats this for", "what is it",
        "what is journeybot", "whats journeybot", "who are you", "what are you", "what do you do",
        "whats the point", "what is the point", "what is the point of this", "whats in it for me",
        "what do i get", "what do i get out of this", "why should i care", "what does this do",
        "what is the journey", "whats the journey", "what journey", "tell me more", "tell me about this",
        "why social media", "why should i post", "why should i share", "is this mandatory",
        "do i have to", "is this compulsory", "what is this about", "whats this about",
        "why am i getting this", "why are you messaging me", "why are you writing to me",
    ),
    Intent.NEXT: (
        "whats next", "what next", "what now", "now what", "what should i do", "what should i do next",
        "what should i do now", "what can i do", "what can i do today", "what do i do next",
        "give me something to do", "give me a step", "give me a task", "next step", "next one",
        "another one", "one more", "something else", "suggest something", "any suggestions",
        "any ideas", "ideas", "inspire me", "im bored", "i have time", "i have a few minutes",
        "i got time", "got a few minutes", "whats my next step", "what is my next step",
    ),
    Intent.PROGRESS: (
        "how am i doing", "how am i doing so far", "how am i going", "how did i do", "how have i done",
        "my progress", "progress", "show my progress", "show progress", "where do i stand",
        "how far am i", "how far have i come", "am i doing well", "am i doing ok", "am i on track",
        "stats", "my stats", "my score", "score", "how many have i done", "what have i done",
        "what did i do so far", "my achievements", "achievements", "milestones", "my milestones",
        "summary", "recap",
    ),
    Intent.HELP: (
        "help", "help me", "help please", "please help", "can you help", "can you help me",
        "could you help me", "i need help", "need help", "what can you do", "what do you understand",
        "commands", "command list", "menu", "options", "how does this work", "how does it work",
        "how do you work", "how do i use this", "how do i use you", "what can i say", "what do i type",
        "what do i say", "im lost", "i am lost", "im confused", "i am confused", "i dont understand",
        "i dont get it", "huh", "hlep", "halp", "hepl", "instructions", "manual", "info",
    ),
    Intent.JOURNEY: (
        "my journey", "show my journey", "show journey", "show me my journey", "journey map",
        "my map", "show map", "jouney", "journy", "jurney", "journeys", "where am i on the map",
    ),
    Intent.SETTINGS: (
        "my settings", "show settings", "show my settings", "change settings", "change my settings",
        "settigns", "setings", "settins", "preferences", "my preferences", "change my topics",
        "change my networks", "edit settings",
    ),
}  # fmt: skip

# Words around the point that change nothing: "ok thanks journeybot!", "please, help".
_LEADING_FILLER = ("ok ", "okay ", "oh ", "um ", "uhm ", "well ", "so ", "hey journeybot ", "journeybot ")
_TRAILING_FILLER = (" please", " pls", " plz", " journeybot", " bot", " mate", " now please", " again")
# What may follow "thanks" and still be only thanks: "thank you so much for the tip".
_THANKS_TAIL = frozenset(
    "so very much a lot for that this the it tip tips idea ideas help reminder nudge you again "
    "mate all everyone journeybot bot really loads heaps anyway".split()
)
_NOT_A_NAME = frozenset("i im ive shared posted wrote did done".split())
# Below this many letters, a typo is too likely another word ("hi" / "ho", "ty" / "tv").
_FUZZY_FROM = 5
_FUZZY_CUTOFF = 0.84

_INDEX = {phrase: intent for intent, phrases in PHRASES.items() for phrase in phrases}


def normal(text: str) -> str:
    """``text`` lower-cased with accents folded, apostrophes dropped ("what's" → "whats"), other
    punctuation and emoji turned into spaces, and spaces collapsed."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = re.sub(r"['’‘`´]", "", folded)
    return " ".join(re.sub(r"[^\w\s]|_", " ", folded).split())


def _trimmed(text: str) -> str:
    changed = True
    while changed:
        changed = False
        for lead in _LEADING_FILLER:
            if text.startswith(lead) and len(text) > len(lead):
                text, changed = text[len(lead) :], True
        for trail in _TRAILING_FILLER:
            if text.endswith(trail) and len(text) > len(trail):
                text, changed = text[: -len(trail)], True
    return text


def understand(text: str) -> Intent | None:
    """The intent of a short sentence, or None when it is not one of ``PHRASES`` (nor a typo of one)."""
    said = normal(text)
    if not said:
        return None
    for candidate in dict.fromkeys((said, _trimmed(said))):
        if candidate in _INDEX:
            return _INDEX[candidate]
    said = _trimmed(said)
    words = said.split()
    # "thanks for that", "thank you so much for the idea", "hi ana": the first words carry it.
    for size in (3, 2, 1):
        head, rest = " ".join(words[:size]), words[size:]
        if _INDEX.get(head) == Intent.THANKS and set(rest) <= _THANKS_TAIL:
            return Intent.THANKS
        if _INDEX.get(head) == Intent.GREETING and len(rest) <= 1 and not set(rest) & _NOT_A_NAME:
            return Intent.GREETING  # "hi ana"; "hi, I shared a post" is about the post
    if len(said) < _FUZZY_FROM or len(words) > 8:
        return None
    close = difflib.get_close_matches(said, [p for p in _INDEX if len(p) >= _FUZZY_FROM], 1, _FUZZY_CUTOFF)
    return _INDEX[close[0]] if close else None
