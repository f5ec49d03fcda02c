"""The Microsoft 365 Agents SDK wiring: one ``CloudAdapter`` and one ``AgentApplication``.

Two SDK defaults are replaced on purpose. The adapter's turn-error handler would send the exception
text to the person; ours logs it and says sorry. Turn state would be kept in process memory for
every conversation forever; ours keeps nothing there, because the database is the only state.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from microsoft_agents.activity import ActivityTypes
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.core import AgentApplication, MemoryStorage, TurnContext, TurnState
from microsoft_agents.hosting.core.app import RouteRank

from adapters.teams import outgoing
from adapters.teams.config import TeamsConfig
from adapters.teams.tokens import SingleConnection
from adapters.teams.turns import TeamsTurns
from bot.conversation.deps import AdapterDeps
from nudges.messages import text_message

log = logging.getLogger("journeybot.teams")
HANDLED_TYPES: list[str | ActivityTypes] = [
    ActivityTypes.message,
    ActivityTypes.conversation_update,
    ActivityTypes.installation_update,
]
SORRY = "Sorry, something went wrong on my side. Please try again in a moment."


@dataclass
class TeamsAgent:
    config: TeamsConfig
    adapter: CloudAdapter
    application: AgentApplication[TurnState]
    connections: SingleConnection


def build_adapter(connections: SingleConnection) -> CloudAdapter:
    adapter = CloudAdapter(connection_manager=connections)
    adapter.on_turn_error = on_turn_error
    return adapter


def build_agent(deps: AdapterDeps, config: TeamsConfig) -> TeamsAgent:
    connections = SingleConnection(config)
    adapter = build_adapter(connections)
    application = AgentApplication[TurnState](
        storage=MemoryStorage(),
        connection_manager=connections,
        turn_state_factory=TurnState,  # nothing kept in memory between turns (see module docstring)
        start_typing_timer=False,  # answers are quick; a typing indicator would be one more request
    )
    turns = TeamsTurns(deps)

    async def every_activity(context: TurnContext, _state: TurnState) -> None:
        await turns.on_activity(context)

    # Catch-all routes, each with an explicit rank: a more specific route added later with the
    # default rank is tried first, and these never shadow it.
    application.activity(HANDLED_TYPES, rank=RouteRank.LAST)(every_activity)
    application.invoke(rank=RouteRank.LAST)(every_activity)
    application.error(on_turn_error)
    return TeamsAgent(config, adapter, application, connections)


async def on_turn_error(context: TurnContext, error: Exception) -> None:
    """Log the failure; tell the person something kind, never the exception's text."""
    log.error("Teams turn failed (%s)", type(error).__name__, exc_info=error)
    try:
        if context.activity.type == ActivityTypes.invoke:
            await context.send_activity(outgoing.note_response(SORRY))
        elif context.activity.type == ActivityTypes.message:
            await context.send_activity(outgoing.message_activity(text_message(SORRY)))
    except Exception:  # the connector may be what failed; the log above is what matters
        log.warning("could not tell the person about the failure", exc_info=True)
