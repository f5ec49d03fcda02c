"""Whether a sentence tells of something done, or of something not done, asked, planned or imagined.

A free sentence is only ever a *candidate* for logging (the person confirms it with a button), but
some sentences must never even be offered: "no, I didn't share it", "should I post this?", "I'll
share it tomorrow". Reading those as done celebrated things nobody did. The rules are small word
lists, kept here as data the team can read; hand-written because no well-kept library reads tense
and negation for a few dozen words without a language model.
"""

from __future__ import annotations

import re
from enum import StrEnum


class NotDone(StrEnum):
    NEGATION = "negation"  # "didn't", "haven't", "not yet", "never"
    QUESTION = "question"  # "should I post this?", "can you help me?"
    PLAN = "plan"  # "will share tomorrow", "going to post", "planning to"
    HYPOTHETICAL = "hypothetical"  # "might", "maybe I'll", "if I shared"


def _words(*phrases: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\w'])(" + "|".join(phrases) + r")(?![\w'])")


# Apostrophes are normalised before matching, and the common missing-apostrophe typos are listed.
_NEGATION = _words(
    r"didn'?t",
    r"did not",
    r"didnt",
    r"haven'?t",
    r"have not",
    r"hasn'?t",
    r"has not",
    r"hadn'?t",
    r"had not",
    r"wasn'?t",
    r"weren'?t",
    r"don'?t",
    r"do not",
    r"doesn'?t",
    r"does not",
    r"can'?t",
    r"cannot",
    r"couldn'?t",
    r"could not",
    r"won'?t",
    r"not yet",
    r"not",
    r"never",
    r"no",
    r"nope",
    r"nothing",
    r"none",
    r"nobody",
    r"neither",
    r"nor",
    r"forgot to",
    r"failed to",
    r"yet to",
    r"didn",
    r"havent",
    r"dont",
)
_QUESTION_START = _words(
    r"can you",
    r"could you",
    r"would you",
    r"will you",
    r"can i",
    r"could i",
    r"should i",
    r"shall i",
    r"may i",
    r"do i",
    r"did i",
    r"do you",
    r"is it",
    r"is this",
    r"are you",
    r"how",
    r"what",
    r"why",
    r"when",
    r"where",
    r"which",
    r"who",
    r"whom",
    r"whose",
    r"help me",
    r"please help",
    r"any idea",
    r"any tips",
    r"wondering",
)
_PLAN = _words(
    r"will",
    r"i'll",
    r"ill",
    r"we'll",
    r"shall",
    r"going to",
    r"gonna",
    r"about to",
    r"plan to",
    r"planning to",
    r"planning on",
    r"intend to",
    r"want to",
    r"wanna",
    r"would like to",
    r"i'd like to",
    r"hope to",
    r"hoping to",
    r"need to",
    r"have to",
    r"got to",
    r"gotta",
    r"tomorrow",
    r"tonight",
    r"next week",
    r"next month",
    r"later today",
    r"this afternoon",
    r"soon",
    r"someday",
    r"one day",
    r"to do list",
    r"todo",
)
_HYPOTHETICAL = _words(
    r"might",
    r"may",
    r"maybe",
    r"perhaps",
    r"possibly",
    r"probably will",
    r"would",
    r"could",
    r"should",
    r"if",
    r"thinking about",
    r"thinking of",
    r"considering",
    r"wish",
    r"imagine",
    r"what if",
)


def not_done(text: str) -> NotDone | None:
    """Why ``text`` does not tell of something done, or None when it may (then ask before logging)."""
    lowered = text.lower().replace("’", "'").replace("‘", "'").strip()
    if not lowered:
        return None
    if lowered.rstrip(" !.🙂😊🤔").endswith("?") or _QUESTION_START.match(lowered):
        return NotDone.QUESTION
    if _NEGATION.search(lowered):
        return NotDone.NEGATION
    if _PLAN.search(lowered):
        return NotDone.PLAN
    if _HYPOTHETICAL.search(lowered):
        return NotDone.HYPOTHETICAL
    return None
