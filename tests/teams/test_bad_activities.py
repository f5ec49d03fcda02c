"""Activities Bot Framework would never accept get the answers it gives: 400 for what is malformed,
501 for an invoke nobody here implements; never a 500, and no HTTP session left open."""

from __future__ import annotations

import gc
import warnings

import aiohttp
import pytest

from tests.teams.conftest import Teams


@pytest.mark.parametrize(
    "changes",
    [
        {"serviceUrl": None},
        {"serviceUrl": "not a url"},
        {"serviceUrl": "ftp://example.com/"},
        {"channelId": ""},
    ],
    ids=["no-service-url", "invalid-service-url", "not-http", "empty-channel-id"],
)
async def test_anonymous_mode_refuses_an_activity_it_could_not_answer_with_400(
    anonymous_teams: Teams, changes: dict
) -> None:
    activity = anonymous_teams.activity("personal_message", text="hello")
    for key, value in changes.items():
        if value is None:
            activity.pop(key, None)
        else:
            activity[key] = value

    open_before = open_sessions()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ResourceWarning)
        response = await anonymous_teams.post(activity)
        gc.collect()

    assert response.status == 400, await response.text()
    leaks = [
        w for w in caught if issubclass(w.category, ResourceWarning) and "ClientSession" in str(w.message)
    ]
    assert leaks == [] and open_sessions() <= open_before  # no connector client was left open


def open_sessions() -> int:
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, aiohttp.ClientSession) and not o.closed)


async def test_an_unknown_invoke_is_501(teams: Teams) -> None:
    invoke = teams.activity("invoke_adaptive_card_action")
    invoke["name"] = "composeExtension/query"
    response = await teams.post(invoke)
    assert response.status == 501


@pytest.mark.parametrize(
    "value",
    [None, "a string", {"action": "not an object"}, {"action": {"type": "Action.Execute"}}],
    ids=["no-value", "string", "action-not-object", "no-data"],
)
async def test_a_malformed_card_action_invoke_is_400(teams: Teams, value: object) -> None:
    invoke = teams.activity("invoke_adaptive_card_action")
    if value is None:
        invoke.pop("value")
    else:
        invoke["value"] = value
    response = await teams.post(invoke)
    assert response.status == 400
