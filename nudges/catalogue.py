"""The built-in catalogue: the small steps and writing prompts the bot can suggest, zone by zone.

This is plain data, deliberately: every ``Template`` below is something a person reads in a direct
message, so the wording matters more than the code. The steps follow the four zones of seed 004
(revive an account, follow a few voices, add a line of your own, write a short post, join a peer
group, use the copy-editing path, host a chat, tell another team …). The writing prompts take 10 to
15 minutes and grow with the zone: a one-line comment or a question for consumers, a short post for
sharers, a longer piece for creators, hosting conversations for the socially engaged.

The tone is the product (see JOURNEY.md, "How the bot should behave"): gentle, optional, small and
concrete, conversations over numbers, authenticity over volume, asking is as good as knowing.

Fields, briefly: ``id`` is a stable slug (``<zone>.<what>``) that the history refers to, so keep it
when rewording; ``kind`` is the family a "Not for me" retires, shared by similar templates;
``evidence`` is the activity a "Done" logs; ``follow_up`` is the gentle question asked a few days
after a "Later"; ``networks`` limits a template to those networks (empty: any), and
``min_networks`` to people who chose at least that many. ``text`` uses the
``**bold**``/``_italic_`` markup and may contain ``{topic}`` and ``{network}``, which are filled from
the person's own choices (or "your field" / "your favourite network"), so they are written to read
well either way, and are never used in a template tied to one network.

Organisations extend or override this catalogue with a YAML file (see ``bot/importers/catalogue.py``):
``templates`` adds new entries (give them your own prefix, e.g. ``acme.demo-day``) or replaces a
built-in one by reusing its id, and ``disable`` lists built-in ids to leave out. This module imports
only the standard library and the ``nudges`` package.
"""

from __future__ import annotations

from nudges.activities import ActivityKind
from nudges.library import Category, Template
from nudges.zones import Zone

_CONSUMER: tuple[Template, ...] = (
    Template(
        id="consumer.revive-dormant-account",
        zone=Zone.CONSUMER,
        category=Category.STEP,
        kind="revive-account",
        title="Dust off an account you already have",
        text=(
            "Got an old profile on {network} gathering dust? **Reviving it beats starting a new one**: "
            "a current photo and one line about what you do now, about ten minutes, and your old "
            "connections are still there waiting."
        ),
        minutes=10,
        evidence=ActivityKind.ACCOUNT,
        follow_up="Did you get a moment to dust off that old profile? No worries if not.",
    ),
    Template(
        id="consumer.pick-one-network",
        zone=Zone.CONSUMER,
        category=Category.STEP,
        kind="revive-account",
        title="Pick the one network that feels like yours",
        text=(
            "Nobody needs to be everywhere. Pick **one** network where people talk about {topic}, check "
            "you can still log in, and let the others be: skipping a network altogether is perfectly fine."
        ),
        minutes=3,
        evidence=ActivityKind.ACCOUNT,
        follow_up="Did one network stand out as yours? Any answer is a good one.",
    ),
    Template(
        id="consumer.headline-line",
        zone=Zone.CONSUMER,
        category=Category.STEP,
        kind="revive-account",
        title="Write the one line under your name",
        text=(
            "Your headline is the first thing people see. Give it five minutes: one plain sentence on "
            "what you work on and what you're curious about (_curious_ counts as much as _expert_)."
        ),
        minutes=5,
        evidence=ActivityKind.ACCOUNT,
        follow_up="Did your headline get its new line? Whenever suits you.",
    ),
    Template(
        id="consumer.follow-three-voices",
        zone=Zone.CONSUMER,
        category=Category.STEP,
        kind="follow-voices",
        title="Follow three people worth reading",
        text=(
            "Find **three** people who write thoughtfully about {topic} and follow them on {network}. "
            "Five minutes now, and by next week your feed starts to feel like your own news source."
        ),
        minutes=5,
        evidence=ActivityKind.FOLLOWED,
        follow_up="Found three voices worth following? Even one is a fine start.",
    ),
    Template(
        id="consumer.join-a-group",
        zone=Zone.CONSUMER,
        category=Category.STEP,
        kind="follow-voices",
        title="Join one group where your peers talk",
        text=(
            "Look for one group or community about {topic} and join it. Just read along for now: "
            "listening first is how everyone starts, and you'll soon spot the big questions of the moment."
        ),
        minutes=5,
        evidence=ActivityKind.FOLLOWED,
        follow_up="Did you find a group that looks worth a read? No rush at all.",
    ),
    Template(
        id="consumer.follow-colleagues",
        zone=Zone.CONSUMER,
        category=Category.STEP,
        kind="follow-voices",
        title="Follow two colleagues who post",
        text=(
            "Some colleagues already write about their work. Follow two of them: you'll hear what "
            "they're thinking, and a familiar face in the feed makes the whole thing friendlier."
        ),
        minutes=3,
        evidence=ActivityKind.FOLLOWED,
        follow_up="Did you get to follow a colleague or two? Easy to do another day.",
    ),
    Template(
        id="consumer.follow-a-hashtag",
        zone=Zone.CONSUMER,
        category=Category.STEP,
        kind="follow-hashtag",
        title="Follow one hashtag in your field",
        text=(
            "Follow one hashtag about {topic} so news and views turn up without any hunting. "
            "Three minutes, and you can unfollow it the day it gets noisy."
        ),
        minutes=3,
        evidence=ActivityKind.FOLLOWED,
        follow_up="Did a hashtag make it into your feed? Only if it felt useful.",
    ),
    Template(
        id="consumer.tidy-the-feed",
        zone=Zone.CONSUMER,
        category=Category.STEP,
        kind="follow-hashtag",
        title="Mute one account that mostly shouts",
        text=(
            "A good news source is also about what you leave out. Take three minutes to mute or "
            "unfollow one account that mostly broadcasts, and your feed gets a little calmer."
        ),
        minutes=3,
        evidence=ActivityKind.FOLLOWED,
        follow_up="Is your feed feeling a bit calmer? Tidy it whenever you like.",
    ),
    Template(
        id="consumer.like-what-taught-you",
        zone=Zone.CONSUMER,
        category=Category.STEP,
        kind="like-share",
        title="Like one post that taught you something",
        text=(
            "Scroll for five minutes and like one post that taught you something new. "
            "That's the whole step, and the author will notice."
        ),
        minutes=5,
        evidence=ActivityKind.SHARED,
        follow_up="Did a post earn your like this week? No worries if the feed was quiet.",
    ),
    Template(
        id="consumer.one-line-comment",
        zone=Zone.CONSUMER,
        category=Category.PROMPT,
        kind="comment-on-post",
        title="Leave a one-line comment",
        text=(
            "Pick a post in your feed you enjoyed and leave **one line** under it: what struck you, "
            "or a simple thank-you. Short and genuine beats clever every time."
        ),
        minutes=10,
        evidence=ActivityKind.REPLIED,
        follow_up="Did you get to leave your one line? Any day is a good day for it.",
    ),
    Template(
        id="consumer.thank-a-helpful-post",
        zone=Zone.CONSUMER,
        category=Category.PROMPT,
        kind="comment-on-post",
        title="Tell an author how their post helped",
        text=(
            "Think of one post this week that helped with your work. Tell its author in a sentence or "
            "two what you used it for: people rarely hear that, and it makes their day."
        ),
        minutes=10,
        evidence=ActivityKind.REPLIED,
        follow_up="Did you get a chance to thank that author? Only if it still feels right.",
    ),
    Template(
        id="consumer.ask-the-author",
        zone=Zone.CONSUMER,
        category=Category.PROMPT,
        kind="ask-a-question",
        title="Ask an author one honest question",
        text=(
            "Not an expert? Perfect: **ask**. Find a post about {topic} that left you wondering and "
            "ask its author one honest question; plenty of readers are wondering the same thing."
        ),
        minutes=10,
        evidence=ActivityKind.ASKED,
        follow_up="Did your question find its way under a post? No worries if not.",
    ),
    Template(
        id="consumer.question-you-looked-up",
        zone=Zone.CONSUMER,
        category=Category.PROMPT,
        kind="ask-a-question",
        title="Ask the question you looked up this week",
        text=(
            "What did you look up at work this week? Ask it on {network} in a sentence or two and see "
            "who chimes in; a curious question is a lovely way into a conversation."
        ),
        minutes=10,
        evidence=ActivityKind.ASKED,
        follow_up="Did you get to ask your question out loud? Whenever you feel like it.",
    ),
)

_SHARER: tuple[Template, ...] = (
    Template(
        id="sharer.share-something-useful",
        zone=Zone.SHARER,
        category=Category.STEP,
        kind="like-share",
        title="Share one thing you genuinely found useful",
        text=(
            "Pass on one post about {topic} that you'd happily mention to a colleague over coffee. "
            "Share only what you genuinely find interesting: that's what makes your feed yours."
        ),
        minutes=3,
        evidence=ActivityKind.SHARED,
        follow_up="Did something worth passing on turn up? Only if it really caught your eye.",
    ),
    Template(
        id="sharer.add-one-line",
        zone=Zone.SHARER,
        category=Category.STEP,
        kind="comment-on-share",
        title="Add one line of your own",
        text=(
            "Next time you share something, add **one line** of your own: why it caught your eye, or "
            "where you see it differently. Five minutes, and agreeing or disagreeing are both welcome."
        ),
        minutes=5,
        evidence=ActivityKind.SHARED_WITH_COMMENT,
        follow_up="Did you get a moment to add your own line? No worries if not.",
    ),
    Template(
        id="sharer.half-agree",
        zone=Zone.SHARER,
        category=Category.PROMPT,
        kind="comment-on-share",
        title="Share something you only half agree with",
        text=(
            "Find a post about {topic} you only _half_ agree with and share it with two sentences on "
            "where you differ. A kind, reasoned _yes, but_ starts better conversations than a nod."
        ),
        minutes=10,
        evidence=ActivityKind.SHARED_WITH_COMMENT,
        follow_up="Did you find a post worth a friendly _yes, but_? Any time is fine.",
    ),
    Template(
        id="sharer.pick-a-suggested-share",
        zone=Zone.SHARER,
        category=Category.STEP,
        kind="suggested-share",
        title="Pick one suggested share that fits you",
        text=(
            "Look through this week's suggested items and share one **only if** it matches what you "
            "care about; skipping them all is fine. A line of your own turns it from an announcement "
            "into your take."
        ),
        minutes=5,
        evidence=ActivityKind.SHARED_WITH_COMMENT,
        follow_up="Did one of the suggestions feel like yours? Skipping them is fine too.",
    ),
    Template(
        id="sharer.beyond-the-company",
        zone=Zone.SHARER,
        category=Category.STEP,
        kind="human-colour",
        title="Share something from outside the company",
        text=(
            "A healthy feed is mostly your own interests with a little personal colour. This week, "
            "share one thing that isn't from the company: a talk you enjoyed, a book, a clever idea "
            "from another field."
        ),
        minutes=5,
        evidence=ActivityKind.SHARED,
        follow_up="Did something from beyond work make it into your feed? Whenever you like.",
    ),
    Template(
        id="sharer.lesson-this-week",
        zone=Zone.SHARER,
        category=Category.PROMPT,
        kind="short-post",
        title="One lesson from this week",
        text=(
            "Write a short post about one thing you learned at work this week, three or four sentences "
            "at most. Ten to fifteen minutes, and _done_ is lovelier than _polished_."
        ),
        minutes=15,
        evidence=ActivityKind.SHORT_POST,
        follow_up="Did your lesson of the week make it into a post? One a month is plenty.",
    ),
    Template(
        id="sharer.post-on-x",
        zone=Zone.SHARER,
        category=Category.STEP,
        kind="short-post",
        title="Post a thought of your own on X",
        text=(
            "Write one post in your own words about something you noticed at work today: well under "
            "280 characters, no link needed. A post or two a day needs no timing strategy at all."
        ),
        minutes=5,
        evidence=ActivityKind.SHORT_POST,
        follow_up="Did your own thought get its moment on X? Any day works.",
        networks=("x",),
    ),
    Template(
        id="sharer.write-what-you-dont-know",
        zone=Zone.SHARER,
        category=Category.PROMPT,
        kind="ask-a-question",
        title="Write about something you don't know yet",
        text=(
            "Write a short post about one thing in {topic} you don't understand yet and would like to "
            "learn. Ask readers where they'd start: plenty of people love to help, and plenty more "
            "are wondering too."
        ),
        minutes=15,
        evidence=ActivityKind.SHORT_POST,
        follow_up="Did you get to post your open question? It's a brave and lovely kind of post.",
    ),
    Template(
        id="sharer.little-human-colour",
        zone=Zone.SHARER,
        category=Category.PROMPT,
        kind="human-colour",
        title="A post with a bit of you in it",
        text=(
            "Write a short post with some human colour: the view from an event, a tool you secretly "
            "love, what your team celebrated this week. A little of _you_ makes the work posts easier "
            "to trust."
        ),
        minutes=10,
        evidence=ActivityKind.SHORT_POST,
        follow_up="Did a bit of you make it into a post? Only if it felt natural.",
    ),
    Template(
        id="sharer.reply-to-a-feed-post",
        zone=Zone.SHARER,
        category=Category.PROMPT,
        kind="comment-on-post",
        title="Reply properly to a post in your feed",
        text=(
            "Pick a post on {network} that made you think and reply with three or four sentences from "
            "your own experience. Ten minutes, and it's a real contribution to the conversation."
        ),
        minutes=10,
        evidence=ActivityKind.REPLIED,
        follow_up="Did you get to write that reply? No worries if the week got busy.",
    ),
    Template(
        id="sharer.peek-at-analytics",
        zone=Zone.SHARER,
        category=Category.STEP,
        kind="analytics",
        title="Peek at who saw your post",
        text=(
            "Open the analytics for your last post and look at _who_ saw it: which companies, which "
            "roles. Not a score to chase, just three minutes to see your words reached real people."
        ),
        minutes=3,
        evidence=ActivityKind.CHECKED_ANALYTICS,
        follow_up="Did you get a peek at who read your post? Only if you're curious.",
    ),
    Template(
        id="sharer.answer-who-answered",
        zone=Zone.SHARER,
        category=Category.STEP,
        kind="reply-to-comments",
        title="Answer the people who answered you",
        text=(
            "If someone commented on something you shared, reply, even with a short thanks or a "
            "follow-up question. **Conversations are the point**; the rest takes care of itself."
        ),
        minutes=5,
        evidence=ActivityKind.REPLIED,
        follow_up="Did you get to answer the people who commented? A late reply is still a warm one.",
    ),
    Template(
        id="sharer.fit-each-network",
        zone=Zone.SHARER,
        category=Category.STEP,
        kind="network-style",
        title="Say it in each network's own style",
        text=(
            "Sharing the same item on two of your networks? Write the words for each one: shorter "
            "where posts are short, a little more context where people read longer. A bare link "
            "pasted everywhere rarely gets a reply."
        ),
        minutes=5,
        evidence=ActivityKind.SHARED_WITH_COMMENT,
        follow_up="Did you try writing for each network's style? Sticking to one network is fine too.",
        min_networks=2,  # advice about several networks is noise to someone who picked one
    ),
    Template(
        id="sharer.share-a-colleague",
        zone=Zone.SHARER,
        category=Category.STEP,
        kind="recognise-peers",
        title="Share a colleague's post with a kind word",
        text=(
            "When a colleague publishes something, share it with a sentence on what you liked. "
            "That's how a chorus starts, and it means a lot to the person who wrote it."
        ),
        minutes=5,
        evidence=ActivityKind.SHARED_WITH_COMMENT,
        follow_up="Did you get to cheer on a colleague's post? Whenever one speaks to you.",
    ),
)

_CREATOR: tuple[Template, ...] = (
    Template(
        id="creator.swap-drafts",
        zone=Zone.CREATOR,
        category=Category.STEP,
        kind="peer-group",
        title="Swap drafts with a fellow writer",
        text=(
            "Find one or two colleagues who write too and swap a draft this week: you read theirs, "
            "they read yours. Posting feels far less daunting when friendly eyes have seen it first."
        ),
        minutes=10,
        evidence=ActivityKind.FEEDBACK,
        follow_up="Did you find someone to swap drafts with? A peer group can start with just two.",
    ),
    Template(
        id="creator.feedback-on-a-draft",
        zone=Zone.CREATOR,
        category=Category.STEP,
        kind="peer-group",
        title="Give a colleague feedback on a draft",
        text=(
            "Read one colleague's draft and tell them the **two things that work best** and one "
            "question it left you with. Ten minutes of kind, specific feedback is a real gift."
        ),
        minutes=10,
        evidence=ActivityKind.FEEDBACK,
        follow_up="Did you get to read a colleague's draft? They'll be glad whenever it comes.",
    ),
    Template(
        id="creator.copy-editing-path",
        zone=Zone.CREATOR,
        category=Category.STEP,
        kind="copy-edit",
        title="Polish your next piece with the copy editors",
        text=(
            "Send your next piece through the copy-editing path before it goes out. They help with "
            "grammar and flow, **not** with what you think: your voice stays yours, in any language "
            "you write in."
        ),
        minutes=5,
        evidence=ActivityKind.PREPARED,
        follow_up="Did your piece get its polish and go out? Your own pace is the right pace.",
    ),
    Template(
        id="creator.lesson-the-hard-way",
        zone=Zone.CREATOR,
        category=Category.PROMPT,
        kind="long-piece",
        title="A longer piece on a lesson learned",
        text=(
            "Draft the first 300 words of a piece about a lesson you learned the hard way in {topic}. "
            "Fifteen minutes for the draft; finishing it can wait for another day."
        ),
        minutes=15,
        evidence=ActivityKind.ORIGINAL_PIECE,
        follow_up="Did your lesson-learned piece get its first words? No rush at all.",
    ),
    Template(
        id="creator.customer-question",
        zone=Zone.CREATOR,
        category=Category.PROMPT,
        kind="long-piece",
        title="Answer a customer question at length",
        text=(
            "Think of a question customers keep asking about {topic} and outline a piece that answers "
            "it: the question, three points, one real example. Fifteen minutes gets you a solid outline."
        ),
        minutes=15,
        evidence=ActivityKind.ORIGINAL_PIECE,
        follow_up="Did that customer question turn into an outline? Whenever it suits you.",
    ),
    Template(
        id="creator.different-view",
        zone=Zone.CREATOR,
        category=Category.PROMPT,
        kind="long-piece",
        title="A view you hold that most people don't",
        text=(
            "Where do you see things differently from most people in {topic}? Write the opening "
            "paragraph and your three reasons; a respectful contrarian view gets people talking."
        ),
        minutes=15,
        evidence=ActivityKind.ORIGINAL_PIECE,
        follow_up="Did your different view make it onto the page? It can simmer a while longer.",
    ),
    Template(
        id="creator.three-titles",
        zone=Zone.CREATOR,
        category=Category.PROMPT,
        kind="long-piece",
        title="Three ideas for your next pieces",
        text=(
            "Jot down three titles for pieces you'd enjoy writing about {topic}, then draft the first "
            "paragraph of the one that excites you most. A rhythm you enjoy is the goal, even one piece "
            "a month."
        ),
        minutes=15,
        evidence=ActivityKind.PREPARED,
        follow_up="Did one of your three ideas get its first paragraph? One a month is a fine rhythm.",
    ),
    Template(
        id="creator.how-we-solved-it",
        zone=Zone.CREATOR,
        category=Category.PROMPT,
        kind="human-colour",
        title="How your team really solved it",
        text=(
            "Write about how your team solved a recent problem: what you tried, what didn't work, what "
            "you'd do again. The honest middle of the story is the part readers remember."
        ),
        minutes=15,
        evidence=ActivityKind.ORIGINAL_PIECE,
        follow_up="Did your team's story find its way into a draft? Whenever the moment is right.",
    ),
    Template(
        id="creator.expert-down-the-hall",
        zone=Zone.CREATOR,
        category=Category.PROMPT,
        kind="pair-with-expert",
        title="Write it with the expert down the hall",
        text=(
            "Write two paragraphs about something in {topic} you're still learning, then take them to "
            "a colleague who knows it well. Ask them to check the facts, and maybe to add a paragraph "
            "of their own."
        ),
        minutes=15,
        evidence=ActivityKind.ORIGINAL_PIECE,
        follow_up="Did you get to pair up with your expert? Two voices make a good piece.",
    ),
    Template(
        id="creator.turn-it-into-a-linkedin-post",
        zone=Zone.CREATOR,
        category=Category.STEP,
        kind="network-style",
        title="Turn your piece into a LinkedIn post",
        text=(
            "Rewrite the heart of your latest piece as a LinkedIn post: the one idea, a short story, "
            "a question for readers. Ten minutes, and it invites far more conversation than a bare link."
        ),
        minutes=10,
        evidence=ActivityKind.SHORT_POST,
        follow_up="Did your piece get its LinkedIn version? Only if it feels worth it.",
        networks=("linkedin",),
    ),
    Template(
        id="creator.tell-colleagues-its-out",
        zone=Zone.CREATOR,
        category=Category.STEP,
        kind="announce-piece",
        title="Tell colleagues your new piece is out",
        text=(
            "When your next piece is published, post the link in your team channel with one sentence "
            "on why you wrote it. Colleagues who pass it on with their own line make it a chorus."
        ),
        minutes=3,
        evidence=ActivityKind.SHARED,
        follow_up="Did your colleagues hear about your new piece? A quick note is all it takes.",
    ),
    Template(
        id="creator.what-it-sparked",
        zone=Zone.CREATOR,
        category=Category.STEP,
        kind="analytics",
        title="See what your last piece sparked",
        text=(
            "Open the stats for your latest piece and look for the _conversations_: who commented, who "
            "shared it with a line, which question came back. That's the impact that matters."
        ),
        minutes=5,
        evidence=ActivityKind.CHECKED_ANALYTICS,
        follow_up="Did you get a look at what your piece sparked? Only if you're curious.",
    ),
    Template(
        id="creator.reply-to-comments",
        zone=Zone.CREATOR,
        category=Category.STEP,
        kind="reply-to-comments",
        title="Reply to the comments on your piece",
        text=(
            "Set aside ten minutes to answer the comments on your latest piece, the critical ones "
            "included. A writer who answers is a writer people come back to."
        ),
        minutes=10,
        evidence=ActivityKind.REPLIED,
        follow_up="Did you get a moment with your comments? A late reply is still a kind one.",
    ),
    Template(
        id="creator.cheer-a-fellow-writer",
        zone=Zone.CREATOR,
        category=Category.STEP,
        kind="recognise-peers",
        title="Cheer on a fellow writer",
        text=(
            "Find a colleague's recent piece and leave a thoughtful comment: what you took from it, or "
            "a question it raised. Recognising each other's work keeps the writing habit fun."
        ),
        minutes=5,
        evidence=ActivityKind.FEEDBACK,
        follow_up="Did you get to cheer on a fellow writer? They'll enjoy it whenever it lands.",
    ),
)

_ENGAGED: tuple[Template, ...] = (
    Template(
        id="engaged.invite-to-a-tweet-chat",
        zone=Zone.ENGAGED,
        category=Category.STEP,
        kind="tweet-chat",
        title="Invite four or five peers to a tweet chat",
        text=(
            "Pick a date, a hashtag and three questions, then invite four or five people who post "
            "about {topic}. Ten minutes to set up; the chat itself is the fun part."
        ),
        minutes=10,
        evidence=ActivityKind.GROUP_CHAT,
        follow_up="Did your tweet chat find a date and a few friendly voices? No rush.",
        networks=("x",),
    ),
    Template(
        id="engaged.drop-into-a-group-chat",
        zone=Zone.ENGAGED,
        category=Category.STEP,
        kind="tweet-chat",
        title="Drop into a group conversation",
        text=(
            "Join a group discussion or chat about {topic} on {network} and answer one of its open "
            "questions. A few peers talking in public is where a network turns into a community."
        ),
        minutes=15,
        evidence=ActivityKind.GROUP_CHAT,
        follow_up="Did you get to drop into a group conversation? Another week is fine too.",
    ),
    Template(
        id="engaged.host-under-your-post",
        zone=Zone.ENGAGED,
        category=Category.PROMPT,
        kind="host-conversation",
        title="Host a conversation under your own post",
        text=(
            "Write a short post that asks your network one open question about {topic}, then stay "
            "around for the answers. Hosting is mostly asking well and replying generously."
        ),
        minutes=15,
        evidence=ActivityKind.ASKED,
        follow_up="Did your question get a conversation going? Even two replies make a good thread.",
    ),
    Template(
        id="engaged.what-would-you-like-next",
        zone=Zone.ENGAGED,
        category=Category.PROMPT,
        kind="host-conversation",
        title="Ask your network what to write next",
        text=(
            "Write a short post asking your network which question about {topic} they'd most like you "
            "to dig into next. Then reply to each suggestion: the thread is a conversation in itself."
        ),
        minutes=10,
        evidence=ActivityKind.ASKED,
        follow_up="Did your network get to suggest your next topic? Whenever you're ready.",
    ),
    Template(
        id="engaged.ask-sales-for-topics",
        zone=Zone.ENGAGED,
        category=Category.STEP,
        kind="sales-topics",
        title="Ask sales what customers keep asking",
        text=(
            "Send a quick note to someone in sales or marketing: which topics would they love to see "
            "covered this quarter? Five minutes, and you get a list of pieces people are waiting for."
        ),
        minutes=5,
        evidence=ActivityKind.ASKED,
        follow_up="Did sales or marketing have a topic or two for you? Any time works.",
    ),
    Template(
        id="engaged.write-for-sales",
        zone=Zone.ENGAGED,
        category=Category.PROMPT,
        kind="sales-topics",
        title="Write the piece sales asked for",
        text=(
            "Take one topic sales mentioned and draft a piece that answers the question their customers "
            "keep asking. Fifteen minutes for a first draft; the copy editors can help polish it."
        ),
        minutes=15,
        evidence=ActivityKind.ORIGINAL_PIECE,
        follow_up="Did the piece sales asked for get its first draft? Your pace is the right pace.",
    ),
    Template(
        id="engaged.changed-my-mind",
        zone=Zone.ENGAGED,
        category=Category.PROMPT,
        kind="long-piece",
        title="Something you changed your mind about",
        text=(
            "Write about something in {topic} you changed your mind about, and what the conversations "
            "online had to do with it. Readers trust people who let them watch their thinking move."
        ),
        minutes=15,
        evidence=ActivityKind.ORIGINAL_PIECE,
        follow_up="Did your change of mind turn into a draft? It can wait for the right week.",
    ),
    Template(
        id="engaged.visit-another-team",
        zone=Zone.ENGAGED,
        category=Category.STEP,
        kind="tell-another-team",
        title="Offer ten minutes to another team",
        text=(
            "Ask HR, finance or pre-sales for ten minutes at their next team meeting to share what social "
            "media has given you. Social media isn't only for sales and marketing, and your story shows it."
        ),
        minutes=10,
        evidence=ActivityKind.SPOKE_TO_GROUP,
        follow_up="Did another team get to hear your story? Whenever a meeting has room.",
    ),
    Template(
        id="engaged.note-for-another-team",
        zone=Zone.ENGAGED,
        category=Category.PROMPT,
        kind="tell-another-team",
        title="Write your story for another team",
        text=(
            "Write a short note for a team outside marketing about one online conversation that helped "
            "your work. Keep it concrete: who you met, what came of it, how they could start."
        ),
        minutes=15,
        evidence=ActivityKind.SPOKE_TO_GROUP,
        follow_up="Did your note reach another team? A hallway chat counts too.",
    ),
    Template(
        id="engaged.help-someone-start",
        zone=Zone.ENGAGED,
        category=Category.STEP,
        kind="help-others",
        title="Help one colleague take a first step",
        text=(
            "Someone near you is probably curious but unsure. Offer them ten minutes to revive an old "
            "profile or follow three good voices, at **their** pace, not yours."
        ),
        minutes=10,
        evidence=ActivityKind.HELPED,
        follow_up="Did you get to help a colleague take a first step? Any small start counts.",
    ),
    Template(
        id="engaged.answer-an-open-question",
        zone=Zone.ENGAGED,
        category=Category.STEP,
        kind="help-others",
        title="Answer an open question in your field",
        text=(
            "Look for a question about {topic} on {network} that nobody has answered yet, and answer it "
            "generously. People remember who helped them long after they forget who posted most."
        ),
        minutes=10,
        evidence=ActivityKind.ANSWERED,
        follow_up="Did you find a question you could answer? Someone will be glad whenever you do.",
    ),
    Template(
        id="engaged.reply-round",
        zone=Zone.ENGAGED,
        category=Category.STEP,
        kind="reply-to-comments",
        title="A ten-minute reply round",
        text=(
            "Spend ten minutes replying to this week's comments and mentions, oldest first. In a busy "
            "feed, a real reply feels all the more personal."
        ),
        minutes=10,
        evidence=ActivityKind.REPLIED,
        follow_up="Did you get your reply round in? A late answer is still a welcome one.",
    ),
    Template(
        id="engaged.spotlight-a-first-post",
        zone=Zone.ENGAGED,
        category=Category.STEP,
        kind="recognise-peers",
        title="Spotlight a colleague's first post",
        text=(
            "When a colleague publishes their first post, share it with a warm line of your own. "
            "A boost from a familiar voice can make a first-timer's month."
        ),
        minutes=3,
        evidence=ActivityKind.SHARED_WITH_COMMENT,
        follow_up="Did you spot a first post to cheer on? There'll be others whenever you're ready.",
    ),
    Template(
        id="engaged.be-the-expert-down-the-hall",
        zone=Zone.ENGAGED,
        category=Category.PROMPT,
        kind="pair-with-expert",
        title="Be the expert down the hall",
        text=(
            "Offer to read a draft from a colleague writing about {topic} for the first time: check the "
            "facts, suggest one addition, leave their voice alone. Who knows, you may gain a co-author."
        ),
        minutes=15,
        evidence=ActivityKind.FEEDBACK,
        follow_up="Did a colleague take you up on your offer to read their draft? No worries if not yet.",
    ),
    Template(
        id="engaged.fast-copy-editing",
        zone=Zone.ENGAGED,
        category=Category.STEP,
        kind="copy-edit",
        title="Ask for a copy-editing lane that keeps up",
        text=(
            "If the copy-editing path feels slow for how often you write, tell the social team what "
            "turnaround would work for you. A quick lane for frequent writers helps everyone, and your "
            "voice stays yours either way."
        ),
        minutes=5,
        evidence=ActivityKind.PREPARED,
        follow_up="Did you get to tell the social team what turnaround suits you? Whenever it's handy.",
    ),
)

BUILTIN: tuple[Template, ...] = _CONSUMER + _SHARER + _CREATOR + _ENGAGED
