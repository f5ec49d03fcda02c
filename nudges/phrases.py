"""Small pools of phrasings, and picking one the person has not just seen.

Each pool is a tuple of sentences; ``pick`` chooses at random (the turn's rng) among those not in
the person's last few (``Person.recent_lines`` keeps their keys, "ack.3"), and returns the person
with the choice remembered. Eight weeks of *Done* read as eight weeks of different sentences, and
the "I didn't follow" line is never the same twice in a row. Add a sentence to a pool to vary more.
"""

from __future__ import annotations

import random

from nudges.person import Person

RECENT_KEPT = 24

# A nudge answered *Done* (shown in place of its buttons).
ACK = (
    "✅ Done. Nicely done!",
    "✅ Done: noted on your journey.",
    "✅ Lovely, that's noted.",
    "✅ Noted. Small steps add up.",
    "✅ Done, thank you! That counts.",
    "✅ Noted with a smile. 🙂",
    "✅ That's on your journey now.",
    "✅ Done. Good going!",
    "✅ Noted: one more step taken.",
    "✅ Nice one, noted.",
)
# Something a person logged in their own words.
LOGGED = (
    "Logged: you {what}. 🙌",
    "Logged ✓ You {what}. Nicely done.",
    "Logged, thank you: you {what}. Every small step counts.",
    "Noted ✓ You {what}.",
    "On your journey now: you {what}. 👏",
    "Got it, you {what}. Noted.",
)
GREETING = (
    "Hi {name}! 👋 Good to see you.",
    "Hello {name}! 🙂 What shall we do today?",
    "Hey {name}! Nice to hear from you.",
    "Hi {name}, hope your day's going well. 👋",
    "Hello again, {name}! 🙂",
)
THANKS = (
    "You're welcome! 🙂",
    "Any time.",
    "My pleasure.",
    "Glad to help! 🙌",
    "You're very welcome.",
    "Happy to help, any time.",
)
# When the bot does not understand: one line of what it can do (buttons follow).
FALLBACK = (
    "I'm not sure I followed that. I can suggest a small step, show your journey, or note something you did.",
    "Sorry, that one's beyond me. I'm good at small next steps, your journey map, and noting what you did.",
    "Hmm, I didn't get that. Want a step, a look at your journey, or the list of what I understand?",
    "I may have missed your meaning there. I can offer a step, show where you are, or explain the rest.",
)
# A celebration for someone who said they already do more than the milestone's first step.
FIRST_STEP_ON_RECORD = (
    "Your first {what} on record here. Good to have it noted, it all counts.",
    "First {what} noted here. Nice to have it on your journey.",
)


def pick(person: Person, pool_name: str, pool: tuple[str, ...], rng: random.Random) -> tuple[str, Person]:
    """A phrasing from ``pool`` the person has not seen in a while, and the person remembering it."""
    keys = [f"{pool_name}.{i}" for i in range(len(pool))]
    seen = [k for k in person.recent_lines if k in keys]
    avoid = set(seen[-(len(pool) // 2) :]) if len(pool) > 1 else set()
    fresh = [i for i, k in enumerate(keys) if k not in avoid]
    # A copy of the turn's generator: the phrasing varies with it without shifting what the rest of
    # the turn draws (which nudge comes next must not depend on how a reply was worded).
    # Seeded with what the person saw last too, so a run of turns that draw nothing else still varies.
    copy = random.Random()
    copy.setstate(rng.getstate())
    draw = random.Random(f"{copy.getrandbits(64)}|{pool_name}|{'/'.join(person.recent_lines)}")
    chosen = draw.choice(fresh)
    recent = (*(k for k in person.recent_lines if k != keys[chosen]), keys[chosen])[-RECENT_KEPT:]
    return pool[chosen], person.evolve(recent_lines=recent)
