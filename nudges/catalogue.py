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
            "Send your next piece through the copy-editing path before it goes out: press **Ask for a "
            "copy-edit** (or type **edit**). An editor helps with grammar and flow, **not** with what you "
            "think: your voice stays yours, in any language you write in, and you accept or decline "
            "their suggestions."
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
            "on why you wrote it, or type **amplify** _link title_ and colleagues whose topics fit get it "
            "as a suggestion. Colleagues who pass it on with their own line make it a chorus."
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
            "Take one topic marketing or sales asked for (their requests reach you here) and draft a piece "
            "that answers the question their customers keep asking. Fifteen minutes for a first draft; "
            "then **Ask for a copy-edit** if you'd like it polished."
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
            "Your drafts already go first in the editors' queue. If the copy-editing path still feels slow "
            "for how often you write, tell the social team what turnaround would work for you. Your voice "
            "stays yours either way."
        ),
        minutes=5,
        evidence=ActivityKind.PREPARED,
        follow_up="Did you get to tell the social team what turnaround suits you? Whenever it's handy.",
    ),
)


# --- more steps and prompts, zone by zone ----------------------------------------------------------
#
# Written in the same voice, in a shorter form: ``_more`` fills in what every template has. Stretch
# steps are drawn from these lists too (a zone's steps whose Done counts toward that zone, see
# ``nudges.progression.ZONE_EVIDENCE``), so each zone has plenty that leave its own evidence.


def _more(
    id: str,
    zone: Zone,
    category: Category,
    kind: str,
    evidence: ActivityKind,
    minutes: int,
    title: str,
    text: str,
    follow_up: str,
    networks: tuple[str, ...] = (),
) -> Template:
    return Template(
        id=id,
        zone=zone,
        category=category,
        kind=kind,
        title=title,
        text=text,
        minutes=minutes,
        evidence=evidence,
        follow_up=follow_up,
        networks=networks,
    )


_C, _S, _CR, _E = Zone.CONSUMER, Zone.SHARER, Zone.CREATOR, Zone.ENGAGED
_STEP, _PROMPT = Category.STEP, Category.PROMPT
_A = ActivityKind

_CONSUMER_MORE: tuple[Template, ...] = (
    _more(
        "consumer.recent-photo",
        _C,
        _STEP,
        "profile",
        _A.ACCOUNT,
        5,
        "A photo from this decade",
        "People like to see who they're talking to. If your picture on {network} is from a few jobs ago, "
        "swap in a recent one: a phone snap against a plain wall does the job nicely.",
        "Did your profile get its new photo? Any time is fine.",
    ),
    _more(
        "consumer.quiet-notifications",
        _C,
        _STEP,
        "profile",
        _A.ACCOUNT,
        5,
        "Turn the notifications down",
        "A network is nicer when it doesn't shout. Five minutes in {network}'s settings: switch off the "
        "emails you never read, so you visit when _you_ want to.",
        "Did you get to quieten those notifications? Whenever suits.",
    ),
    _more(
        "consumer.follow-your-peers",
        _C,
        _STEP,
        "follow-voices",
        _A.FOLLOWED,
        5,
        "Follow three people who do your job elsewhere",
        "Look for three people with a role like yours at other organisations and follow them. Seeing how "
        "peers think about {topic} is one of the quiet pleasures of a good feed.",
        "Found a few peers worth following? Even one is a good start.",
    ),
    _more(
        "consumer.follow-a-customer-voice",
        _C,
        _STEP,
        "follow-voices",
        _A.FOLLOWED,
        5,
        "Read what your customers read",
        "Who do your customers listen to about {topic}? Follow one of them. You'll start to spot what's on "
        "their minds before it reaches a meeting.",
        "Did you find a voice your customers listen to? No rush at all.",
    ),
    _more(
        "consumer.follow-a-friendly-critic",
        _C,
        _STEP,
        "follow-voices",
        _A.FOLLOWED,
        5,
        "Follow someone who sees it differently",
        "A feed where everyone agrees gets dull fast. Follow one thoughtful person whose view on {topic} "
        "differs from yours: you don't have to agree, just listen.",
        "Did you find someone with a different view worth reading? Whenever you like.",
    ),
    _more(
        "consumer.follow-the-company-page",
        _C,
        _STEP,
        "follow-company",
        _A.FOLLOWED,
        2,
        "Follow your organisation's own page",
        "Two minutes: follow your organisation's page on {network}. Not to share everything it posts, "
        "just to know what's out there when someone asks you about it.",
        "Did you get to follow the company page? Easy to do any time.",
    ),
    _more(
        "consumer.event-hashtag",
        _C,
        _STEP,
        "follow-hashtag",
        _A.FOLLOWED,
        5,
        "Follow a conference from your desk",
        "Is there a conference about {topic} coming up or just finished? Follow its hashtag for a day. "
        "The best talks get summed up in posts, and you didn't even need a badge.",
        "Did you catch any of the conference chatter? No worries if not.",
    ),
    _more(
        "consumer.connect-with-someone-you-met",
        _C,
        _STEP,
        "connect",
        _A.FOLLOWED,
        5,
        "Connect with someone you met this month",
        "Think of one person you met recently, in a meeting, a call or at an event. Connect on {network} "
        "with a short note: _good to meet you on Tuesday_ is plenty.",
        "Did you get to connect with them? A note can go any day.",
    ),
    _more(
        "consumer.ask-who-they-read",
        _C,
        _STEP,
        "connect",
        _A.FOLLOWED,
        5,
        "Ask a colleague who they read",
        "Next time you chat with a colleague you respect, ask who they follow about {topic}. Follow one of "
        "their picks: a recommendation from a friend beats any algorithm.",
        "Did a colleague recommend anyone worth following? Whenever it comes up.",
    ),
    _more(
        "consumer.follow-for-joy",
        _C,
        _STEP,
        "human-colour",
        _A.FOLLOWED,
        3,
        "Follow one account just for the joy of it",
        "Not everything has to be work. Follow one account that simply makes you happy: a museum, a "
        "photographer, a baker. A feed with some human colour is one you'll want to open.",
        "Found something joyful to follow? It's the easiest step there is.",
    ),
    _more(
        "consumer.like-a-colleague-post",
        _C,
        _STEP,
        "like-share",
        _A.SHARED,
        2,
        "Like a colleague's post",
        "When a colleague posts something you liked, tap like. Two seconds for you, and they'll know "
        "someone read it, which is more encouraging than you might think.",
        "Did you get to like a colleague's post? There'll be others.",
    ),
    _more(
        "consumer.comment-before-posting",
        _C,
        _PROMPT,
        "comment-on-post",
        _A.REPLIED,
        10,
        "Comment before you post",
        "Long before your own posts, a comment is the friendliest way in. Under a post about {topic}, add "
        "one sentence: an example from your work, or what you'd add.",
        "Did you leave a comment somewhere? Even a short one counts.",
    ),
    _more(
        "consumer.say-what-you-will-try",
        _C,
        _PROMPT,
        "comment-on-post",
        _A.REPLIED,
        10,
        "Say what you'll try",
        "Read something useful lately? Tell the author what you'll try because of it. Authors love that "
        "kind of comment, and it takes one line.",
        "Did you tell an author what you'll try? Whenever something clicks.",
    ),
    _more(
        "consumer.reply-with-a-resource",
        _C,
        _PROMPT,
        "comment-on-post",
        _A.REPLIED,
        10,
        "Answer a question with something you found useful",
        "Someone in your feed asking about {topic}? If you know a good article or tool, reply with it and "
        "one line on why it helped you. Being helpful beats being clever.",
        "Did you get to point someone to something useful? No pressure.",
    ),
    _more(
        "consumer.ask-the-basic-question",
        _C,
        _PROMPT,
        "ask-a-question",
        _A.ASKED,
        10,
        "Ask the question you think is too basic",
        "Write about what you don't know: the question about {topic} you'd hesitate to ask in a meeting "
        "is one plenty of others wonder about too. Ask it under a post or in a group.",
        "Did you get to ask your question? Many people will be glad you did.",
    ),
    _more(
        "consumer.ask-a-group",
        _C,
        _PROMPT,
        "ask-a-question",
        _A.ASKED,
        10,
        "Ask your group for a recommendation",
        "Groups love a good 'what would you recommend?' Ask yours for a book, a podcast or a tool about "
        "{topic}. Easy to write, and the answers make your reading list.",
        "Did the group have good recommendations? Whenever you feel like asking.",
    ),
    _more(
        "consumer.spot-a-question-you-could-answer",
        _C,
        _STEP,
        "read-along",
        _A.PREPARED,
        5,
        "Spot a question you could answer one day",
        "While you scroll, notice one question about {topic} that you know a bit about. No need to answer "
        "it yet: just note it down. That's the seed of your first comment.",
        "Did you spot a question you could answer one day? Keep it handy.",
    ),
    _more(
        "consumer.ten-minutes-with-coffee",
        _C,
        _STEP,
        "read-along",
        _A.FOLLOWED,
        10,
        "Ten minutes with your feed and a coffee",
        "Give your feed ten minutes with a coffee. Follow one new voice you find along the way, and skip "
        "anything that feels like noise: this is your news source, shape it your way.",
        "Did you get your ten minutes with the feed? Coffee optional.",
    ),
)

_SHARER_MORE: tuple[Template, ...] = (
    _more(
        "sharer.amplify-a-colleague",
        _S,
        _STEP,
        "amplify",
        _A.AMPLIFIED,
        5,
        "Amplify a colleague's own piece",
        "A chorus, not a solo: when a colleague publishes something they wrote themselves, share it with "
        "one line on what you took from it. Your network hears a new voice, and they hear yours.",
        "Did you get to pass on a colleague's piece? There'll be more to cheer on.",
    ),
    _more(
        "sharer.disagree-kindly",
        _S,
        _PROMPT,
        "comment-on-share",
        _A.SHARED_WITH_COMMENT,
        10,
        "Share something you half disagree with",
        "Found a post on {topic} you only partly agree with? Share it and say, kindly, where you'd differ "
        "and why. Respectful disagreement starts the best conversations.",
        "Did you share it with your own view? Agreeing is fine too.",
    ),
    _more(
        "sharer.share-a-tool",
        _S,
        _STEP,
        "useful-share",
        _A.SHARED_WITH_COMMENT,
        5,
        "Share a tool that saves you time",
        "Is there a tool, template or checklist that makes your week easier? Share a link with one line on "
        "what it saves you. Useful beats impressive every time.",
        "Did you share your favourite tool? Whenever it comes to mind.",
    ),
    _more(
        "sharer.repost-an-old-favourite",
        _S,
        _STEP,
        "useful-share",
        _A.SHARED_WITH_COMMENT,
        5,
        "Bring back an article that still holds up",
        "Some pieces on {topic} are worth reading years later. Share one you still think about, with a line "
        "on why it has aged well.",
        "Did an old favourite get a second life? No rush at all.",
    ),
    _more(
        "sharer.share-a-partners-post",
        _S,
        _STEP,
        "useful-share",
        _A.SHARED_WITH_COMMENT,
        5,
        "Share a customer's or partner's good news",
        "When a customer or partner posts something you admire, share it and say what you liked. It's "
        "generous, it's genuine, and it isn't about us at all.",
        "Did you pass on a partner's good news? Whenever one comes along.",
    ),
    _more(
        "sharer.suggestion-with-your-why",
        _S,
        _STEP,
        "suggested-share",
        _A.SHARED_WITH_COMMENT,
        5,
        "One suggested share, with your reason",
        "Look at the organisation's suggested shares and pick one only if it matches what you care about. "
        "Add the reason it matters to _you_: that line is what makes it worth reading.",
        "Did one of the suggestions speak to you? Skipping them all is fine too.",
    ),
    _more(
        "sharer.welcome-a-newcomer",
        _S,
        _STEP,
        "recognise-peers",
        _A.SHARED_WITH_COMMENT,
        3,
        "Welcome someone new",
        "When someone posts that they've joined your organisation or field, share it with a warm welcome. "
        "A friendly first reply can set the tone for their whole first month.",
        "Did you get to welcome someone? There's always a next newcomer.",
    ),
    _more(
        "sharer.thank-someone-publicly",
        _S,
        _PROMPT,
        "recognise-peers",
        _A.SHORT_POST,
        10,
        "Thank someone, out loud",
        "Write a short post thanking a colleague or mentor for one specific thing they did. Be precise: "
        "_thanks to Sam for untangling our release notes_ beats a general shout-out.",
        "Did your thank-you go out? It'll make someone's day whenever it does.",
    ),
    _more(
        "sharer.three-things-i-read",
        _S,
        _PROMPT,
        "short-post",
        _A.SHORT_POST,
        15,
        "Three things I read this week",
        "A short post with three links about {topic} you found worth your time, one line each on why. "
        "Curating well is a real service, and it's a gentle first post.",
        "Did your three-things post happen? One or two things is fine too.",
    ),
    _more(
        "sharer.a-question-to-your-network",
        _S,
        _PROMPT,
        "ask-a-question",
        _A.SHORT_POST,
        10,
        "Ask your network a real question",
        "Post one honest question about {topic} you'd like other views on. You don't need to know the "
        "answer: asking well is a contribution in itself.",
        "Did you ask your question? The replies may surprise you.",
    ),
    _more(
        "sharer.myth-you-keep-hearing",
        _S,
        _PROMPT,
        "short-post",
        _A.SHORT_POST,
        15,
        "A myth you keep hearing",
        "What's one thing people often get wrong about {topic}? Write three or four sentences on it and "
        "what you'd say instead. Keep it friendly; no one likes being corrected loudly.",
        "Did the myth get its short post? Whenever you feel like it.",
    ),
    _more(
        "sharer.line-that-stuck",
        _S,
        _PROMPT,
        "short-post",
        _A.SHORT_POST,
        10,
        "A line that stuck with you",
        "A sentence from a book, a talk or a colleague that stayed with you: post it with where it came "
        "from and why it matters to your work.",
        "Did you share the line that stuck? No rush at all.",
    ),
    _more(
        "sharer.going-to-an-event",
        _S,
        _PROMPT,
        "short-post",
        _A.SHORT_POST,
        10,
        "Say what you hope to learn",
        "Going to an event, a webinar or a meetup soon? Post one line on what you hope to learn there. "
        "Someone else going might say hello.",
        "Did you post about the event? Any time before or after works.",
    ),
    _more(
        "sharer.small-team-win",
        _S,
        _PROMPT,
        "human-colour",
        _A.SHORT_POST,
        10,
        "A small win from your week",
        "Did your team get something done this week that made you smile? A few sentences about it, with "
        "nothing confidential, show the people who do the work.",
        "Did your small win get its post? Small wins are the best kind.",
    ),
    _more(
        "sharer.check-it-fits",
        _S,
        _STEP,
        "network-style",
        _A.SHORT_POST,
        5,
        "Check it fits before you post",
        "Before your next post on X, read it once as it will appear: 280 characters go fast, and a sentence "
        "cut in half helps nobody. Trim a word or two rather than splitting it up.",
        "Did your short post fit nicely? No worries if it's still to come.",
        networks=("x",),
    ),
    _more(
        "sharer.how-the-work-happens",
        _S,
        _PROMPT,
        "human-colour",
        _A.SHORT_POST,
        10,
        "A glimpse of how the work happens",
        "Share a glimpse of how your work actually happens: a whiteboard, a tool, a tip you use every day. "
        "You'd be surprised how interesting the ordinary is to people outside.",
        "Did you share a glimpse of your work? Whenever something catches your eye.",
    ),
    _more(
        "sharer.answer-a-question-in-a-group",
        _S,
        _PROMPT,
        "comment-on-post",
        _A.REPLIED,
        10,
        "Answer a question in a group",
        "In one of your groups, find a question about {topic} you can help with and answer it in a few "
        "sentences. Small exchanges like this are how people find you.",
        "Did you get to answer someone's question? No pressure if none fit.",
    ),
)

_CREATOR_MORE: tuple[Template, ...] = (
    _more(
        "creator.open-questions",
        _CR,
        _PROMPT,
        "long-piece",
        _A.ORIGINAL_PIECE,
        15,
        "A piece made of questions",
        "Not an expert on everything? Write about what you don't know: the three open questions about "
        "{topic} you'd most like answered, and why each matters. Fifteen minutes for a first draft.",
        "Did your questions piece take shape? A draft in a drawer counts too.",
    ),
    _more(
        "creator.how-i-changed-my-mind",
        _CR,
        _PROMPT,
        "long-piece",
        _A.ORIGINAL_PIECE,
        15,
        "What you used to think",
        "Write about something you used to believe about {topic} and what changed your mind. Honest "
        "before-and-after stories are the ones people read to the end.",
        "Did you get to write your before-and-after? Whenever it feels right.",
    ),
    _more(
        "creator.explain-to-a-newcomer",
        _CR,
        _PROMPT,
        "explainer",
        _A.ORIGINAL_PIECE,
        15,
        "Explain it to someone in their first month",
        "Pick one idea in {topic} that took you a while to get, and explain it for someone in their first "
        "month. Plain words, one example, no jargon: the clearest pieces are often the most shared.",
        "Did your explainer get written? Half a draft is a fine start.",
    ),
    _more(
        "creator.tools-i-would-keep",
        _CR,
        _PROMPT,
        "explainer",
        _A.ORIGINAL_PIECE,
        15,
        "The three tools you'd keep",
        "If you could keep only three tools, habits or books for your work in {topic}, which would they "
        "be? A short piece on each and why makes a friendly, useful read.",
        "Did your three-tools piece happen? No rush at all.",
    ),
    _more(
        "creator.grow-a-comment",
        _CR,
        _PROMPT,
        "long-piece",
        _A.ORIGINAL_PIECE,
        15,
        "Grow a comment into a piece",
        "Ever written a comment that turned out longer than the post? Find one of yours and grow it into "
        "a piece of its own. The thinking is already done; it just needs room.",
        "Did an old comment grow into something new? Whenever you like.",
    ),
    _more(
        "creator.interview-a-colleague",
        _CR,
        _PROMPT,
        "pair-with-expert",
        _A.ORIGINAL_PIECE,
        15,
        "Five questions to a colleague",
        "Ask a colleague who knows {topic} well five short questions and write up their answers, with "
        "their blessing. You bring the curiosity, they bring the expertise: a chorus, not a solo.",
        "Did you get to interview a colleague? It can wait for the right person.",
    ),
    _more(
        "creator.respond-to-an-article",
        _CR,
        _PROMPT,
        "different-view",
        _A.ORIGINAL_PIECE,
        15,
        "Write a reply to an article",
        "Read something about {topic} that made you want to answer back? Write a response piece: what you "
        "agree with, where your experience differs, and what you'd ask the author.",
        "Did your reply piece get written? Agreeing at length counts too.",
    ),
    _more(
        "creator.story-from-the-field",
        _CR,
        _PROMPT,
        "how-we-solved-it",
        _A.ORIGINAL_PIECE,
        15,
        "A story from the field",
        "Tell the story of one problem a customer or your team faced with {topic}, and how it went (check "
        "with them first, and keep names out if in doubt). Stories stick where lists don't.",
        "Did your story from the field find its way onto the page? No pressure.",
    ),
    _more(
        "creator.letter-to-your-younger-self",
        _CR,
        _PROMPT,
        "long-piece",
        _A.ORIGINAL_PIECE,
        15,
        "Advice for yourself, five years ago",
        "What would you tell yourself five years ago about working in {topic}? Three pieces of advice, "
        "each with the moment you learned it.",
        "Did you write to your younger self? Whenever the mood strikes.",
    ),
    _more(
        "creator.start-a-writing-circle",
        _CR,
        _STEP,
        "peer-group",
        _A.FEEDBACK,
        10,
        "Start a small writing circle",
        "Ask two or three colleagues who write (or want to) to swap drafts once a month. Peer groups take "
        "the fear out of posting, and you'll read each other's work before anyone else does.",
        "Did anyone say yes to a writing circle? One other person is a circle too.",
    ),
    _more(
        "creator.skeleton-in-ten-minutes",
        _CR,
        _STEP,
        "long-piece",
        _A.PREPARED,
        10,
        "A skeleton in ten minutes",
        "Before your next piece, spend ten minutes on its bones only: the one point, three supporting "
        "lines, one example. Writing the rest is much easier once the skeleton stands.",
        "Did your skeleton take shape? It'll keep until you're ready.",
    ),
    _more(
        "creator.grammar-pass",
        _CR,
        _STEP,
        "copy-edit",
        _A.PREPARED,
        5,
        "Send a draft for a grammar pass",
        "Writing in a second language, or just tired of your own commas? Press **Ask for a copy-edit** "
        "(or type **edit**) and an editor gives it a grammar pass. It's grammar, not censorship: your "
        "voice and your views stay yours, and you decide what to take.",
        "Did your draft go off for its grammar pass? Whenever it's ready.",
    ),
    _more(
        "creator.read-it-aloud",
        _CR,
        _STEP,
        "copy-edit",
        _A.PREPARED,
        10,
        "Read your draft aloud",
        "Read your current draft out loud, once. Wherever you stumble, a reader will too: smooth those "
        "sentences and you're most of the way there.",
        "Did you give the draft a read-aloud? Mumbling at your desk counts.",
    ),
    _more(
        "creator.plan-a-small-series",
        _CR,
        _STEP,
        "rhythm",
        _A.PREPARED,
        10,
        "Sketch a series of three",
        "Jot down three pieces about {topic} that could follow one another. A small series takes the "
        "'what do I write next?' out of the next few months. One a month is plenty.",
        "Did your series of three get sketched? A rough list is perfect.",
    ),
    _more(
        "creator.a-rhythm-you-enjoy",
        _CR,
        _STEP,
        "rhythm",
        _A.PREPARED,
        5,
        "Choose a rhythm you'll enjoy",
        "Decide how often you'd _like_ to publish: once a month is lovely, once a quarter is fine. Put a "
        "gentle reminder in your calendar, and feel free to ignore it when life is busy.",
        "Did you settle on a rhythm? Whatever it is, it's the right one.",
    ),
    _more(
        "creator.share-it-inside",
        _CR,
        _STEP,
        "announce-piece",
        _A.SHARED,
        3,
        "Tell the sharers inside",
        "When your next piece is out, post the link where colleagues gather (a team channel works) with "
        "one line on who it's for. Sharers are always looking for something genuine to pass on.",
        "Did your piece get its internal mention? Whenever the next one is out.",
    ),
    _more(
        "creator.end-with-a-question",
        _CR,
        _STEP,
        "reply-to-comments",
        _A.REPLIED,
        10,
        "End with a real question, then answer the replies",
        "Finish your next piece with a question you actually want answered, and reply to everyone who "
        "answers. A piece with a conversation under it is worth three without.",
        "Did the question spark any replies? Even one is a conversation.",
    ),
    _more(
        "creator.amplify-a-fellow-writer",
        _CR,
        _STEP,
        "amplify",
        _A.AMPLIFIED,
        5,
        "Pass on a fellow writer's piece",
        "Share a colleague's latest original piece with a line on what you liked. Writers who cheer each "
        "other on keep going, and your readers discover someone new.",
        "Did you pass on a fellow writer's piece? There'll be another soon.",
    ),
)

_ENGAGED_MORE: tuple[Template, ...] = (
    _more(
        "engaged.host-a-chat",
        _E,
        _STEP,
        "tweet-chat",
        _A.GROUP_CHAT,
        15,
        "Host a half-hour chat on {topic}",
        "Invite four or five colleagues who post to a 30-minute chat on {topic}, on whatever network you "
        "all use. Three questions, posted ten minutes apart, is all the structure it needs.",
        "Did your chat find a date? Even a small one counts.",
    ),
    _more(
        "engaged.ambassador-thread",
        _E,
        _STEP,
        "group-chat",
        _A.GROUP_CHAT,
        10,
        "A thread for the ambassadors",
        "Start a group thread with the four or five most active colleagues on social media: what they're "
        "writing, what they'd like help with. People who post a lot rarely get to talk to each other.",
        "Did the ambassadors' thread get going? Whenever you have a moment.",
    ),
    _more(
        "engaged.office-hours",
        _E,
        _STEP,
        "help-others",
        _A.HELPED,
        15,
        "Open a half-hour of office hours",
        "Offer colleagues half an hour to bring their social media questions: a profile, a first post, a "
        "comment they're unsure about. Others look to you now; this makes it easy to ask.",
        "Did anyone come to your office hours? Quiet ones are still worth holding.",
    ),
    _more(
        "engaged.buddy-a-beginner",
        _E,
        _STEP,
        "help-others",
        _A.HELPED,
        10,
        "Be someone's buddy for a month",
        "Offer to be a buddy for a colleague who's just starting: a quick check-in now and then, a like on "
        "their first post. Remember how much a friendly push helped you.",
        "Did a colleague take you up on the buddy offer? No rush at all.",
    ),
    _more(
        "engaged.invite-a-quiet-expert",
        _E,
        _STEP,
        "help-others",
        _A.HELPED,
        10,
        "Bring a quiet expert into the conversation",
        "Think of a colleague who knows {topic} deeply but never posts. Invite them to add a comment under "
        "one of your pieces, or to co-host a chat. Some of the best voices just need an invitation.",
        "Did your quiet expert join in? Sometimes it takes a second invitation.",
    ),
    _more(
        "engaged.introduce-two-people",
        _E,
        _STEP,
        "connect-people",
        _A.HELPED,
        5,
        "Introduce two people who should know each other",
        "You know people on both sides now. Introduce two of them who'd get on, with one line on why. "
        "Being the connector is one of the nicest things a large network lets you do.",
        "Did you get to make an introduction? Whenever the right pair comes to mind.",
    ),
    _more(
        "engaged.another-teams-meeting",
        _E,
        _STEP,
        "tell-another-team",
        _A.SPOKE_TO_GROUP,
        15,
        "Ten minutes at another team's meeting",
        "Ask pre-sales, HR or finance for ten minutes at their next team meeting to share what social "
        "media has given you. It isn't just for marketing, and hearing it from a peer makes it real.",
        "Did another team find ten minutes for you? These things take a little scheduling.",
    ),
    _more(
        "engaged.what-it-gave-me",
        _E,
        _PROMPT,
        "tell-another-team",
        _A.SPOKE_TO_GROUP,
        15,
        "What it has given you, in one page",
        "Write a short internal note on what being active has brought you: an invitation to speak, a "
        "customer who found you, a new colleague. Share it with a team that hasn't started yet.",
        "Did your one-page note reach a team? Whenever it's ready.",
    ),
    _more(
        "engaged.ask-what-to-cover",
        _E,
        _PROMPT,
        "host-conversation",
        _A.ASKED,
        10,
        "Ask your network what to write next",
        "Ask your network which questions about {topic} they'd like you to take on. Their answers are "
        "your next few pieces, and people love being asked.",
        "Did your network suggest anything good? The question can wait for the right day.",
    ),
    _more(
        "engaged.answer-three-questions",
        _E,
        _STEP,
        "help-others",
        _A.ANSWERED,
        15,
        "Answer three questions in your field",
        "Find three open questions about {topic} in groups or under posts and answer them properly. "
        "People who ask rarely forget who answered.",
        "Did you get to answer a few questions? One good answer counts.",
    ),
    _more(
        "engaged.reply-to-a-thoughtful-critic",
        _E,
        _STEP,
        "reply-to-comments",
        _A.REPLIED,
        10,
        "Reply to someone who disagreed with you",
        "Somebody pushed back on one of your posts? Reply with genuine curiosity: what they see that you "
        "might have missed. Handled kindly, disagreement builds more trust than applause.",
        "Did you get to reply to your critic? Some replies are better slept on.",
    ),
    _more(
        "engaged.thank-your-commenters",
        _E,
        _STEP,
        "reply-to-comments",
        _A.REPLIED,
        10,
        "A round of thanks to your commenters",
        "Look back at the comments on your last few posts and thank the people who took the time, with "
        "something specific for each. A feed that answers is a feed people come back to.",
        "Did your commenters get their thanks? Whenever you're back in the feed.",
    ),
    _more(
        "engaged.review-a-first-draft",
        _E,
        _STEP,
        "pair-with-expert",
        _A.FEEDBACK,
        15,
        "Read a first-timer's draft",
        "Offer to read a colleague's very first draft before it goes out. Point out one thing that works "
        "and one thing to try; leave their voice alone.",
        "Did a first-timer send you their draft? Offers like yours take time to be taken up.",
    ),
    _more(
        "engaged.tell-the-social-team",
        _E,
        _STEP,
        "feedback-to-team",
        _A.FEEDBACK,
        10,
        "Tell the social team what would help",
        "You know what ambassadors need better than anyone: faster copy-editing, better suggested shares, "
        "fewer of them. Send the social team three honest lines on what would help.",
        "Did the social team get your three lines? Whenever it's handy.",
    ),
    _more(
        "engaged.co-write-across-teams",
        _E,
        _PROMPT,
        "co-write",
        _A.ORIGINAL_PIECE,
        15,
        "Co-write with someone from another team",
        "Pair up with someone from another team (sales, engineering, finance) on a piece about {topic} "
        "from both sides. Two voices, one piece: it reaches two networks, too.",
        "Did your co-written piece get started? These take a bit of calendar juggling.",
    ),
    _more(
        "engaged.welcome-a-new-voice",
        _E,
        _STEP,
        "recognise-peers",
        _A.REPLIED,
        5,
        "Answer a newcomer's first post",
        "When someone new to posting puts out their first piece, leave a thoughtful comment, not just a "
        "like. A real reply from someone they look up to can keep them going.",
        "Did you find a newcomer's post to answer? There'll be more soon.",
    ),
)

BUILTIN: tuple[Template, ...] = (
    _CONSUMER + _CONSUMER_MORE + _SHARER + _SHARER_MORE + _CREATOR + _CREATOR_MORE + _ENGAGED + _ENGAGED_MORE
)
