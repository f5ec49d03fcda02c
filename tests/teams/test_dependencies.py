"""What the Teams adapter needs at run time is what ``pyproject.toml`` installs, and README says so."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).parents[2]
ADAPTER = ROOT / "adapters" / "teams"
_REQUIREMENT = re.compile(r"^(?P<name>[A-Za-z0-9._-]+)(\[(?P<extras>[^\]]*)\])?==")


def _runtime() -> dict[str, set[str]]:
    """Each runtime dependency's name and extras (every one is pinned with ``==``)."""
    found = {}
    for line in tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]:
        match = _REQUIREMENT.match(line)
        assert match, f"not pinned exactly: {line}"
        extras = {e.strip() for e in (match["extras"] or "").split(",") if e.strip()}
        found[match["name"].lower()] = extras
    return found


def test_token_checks_get_pyjwt_with_cryptography_at_run_time_not_only_in_dev() -> None:
    # adapters/teams/auth.py verifies RS256 itself; without cryptography no key would load and every
    # request would get 401. It must not arrive only by accident through another package.
    assert "import jwt" in (ADAPTER / "auth.py").read_text()
    assert "crypto" in _runtime().get("pyjwt", set())


def test_every_pinned_agents_sdk_package_is_used_by_the_adapter_and_named_in_the_readme() -> None:
    sdk = sorted(name for name in _runtime() if name.startswith("microsoft-agents-"))
    assert sdk, "the Teams adapter runs on the Microsoft 365 Agents SDK"
    source = "\n".join(path.read_text() for path in ADAPTER.glob("*.py"))
    readme = (ROOT / "README.md").read_text()
    for name in sdk:
        module = "microsoft_agents." + name.removeprefix("microsoft-agents-").replace("-", ".")
        assert re.search(rf"(from|import) {re.escape(module)}\b", source), f"{name} is pinned but unused"
        assert f"`{name}`" in readme, f"README does not name {name}"
