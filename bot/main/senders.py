"""Which ``Sender`` delivers to which platform: one per configured platform, the console otherwise.

Each platform adapter exposes ``build_sender(deps) -> Sender | None`` in ``adapters/<platform>/
sender.py``, imported here only when that platform is configured, so SDK imports stay in the
adapter folder and an unconfigured platform's SDK is never loaded. A ``build_sender`` that returns
None is set up but unable to send (e.g. half the credentials; it logs why): that platform's rows
wait in the outbox (nothing is lost; ``journeybot outbox`` shows them). The console Sender prints,
for ``journeybot tick`` when no platform is configured.
"""

from __future__ import annotations

from bot.conversation.deps import AdapterDeps
from bot.ports import Sender


def configured_senders(deps: AdapterDeps) -> dict[str, Sender]:
    settings = deps.settings
    senders: dict[str, Sender] = {}
    if settings.slack_configured:
        from adapters.slack.sender import build_sender as slack_sender

        senders["slack"] = slack_sender(deps)
    if settings.teams_configured:
        from adapters.teams.sender import build_sender as teams_sender

        teams = teams_sender(deps)
        if teams is not None:  # configured but unable to send (the adapter logged why): rows wait
            senders["teams"] = teams
    if not settings.any_platform:
        from adapters.console.sender import ConsoleSender

        senders["console"] = ConsoleSender()
    return senders
