"""Reading YAML that someone else wrote: no anchors or aliases, and errors that never quote the file.

``yaml.safe_load`` builds no objects, but it still expands aliases: a "billion laughs" file (an
anchor repeated nine times over nine levels) is a few hundred bytes that become a billion strings.
Nothing the bot reads needs an alias, so the loader refuses the first anchor (``&``) or alias
(``*``) it meets, before anything is expanded: the file fails at once, on one line, in little memory.

Error messages name the file and the line, and ``short`` keeps any value they show to a few dozen
characters: a file that is not what it should be (``CATALOGUE_FILE`` pointing at some other file)
must not have its contents printed in a log or on a terminal.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent, CollectionStartEvent, ScalarEvent
from yaml.nodes import Node

from nudges.words import SHOWN, short

__all__ = ["SHOWN", "short"]  # the importers' error messages cut values the same way


class YamlProblem(ValueError):
    """The file cannot be read as YAML; the message has no path (the caller adds it) and no contents."""


class _NoAliasLoader(yaml.SafeLoader):
    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        anchored = isinstance(event, ScalarEvent | CollectionStartEvent) and event.anchor is not None
        if isinstance(event, AliasEvent) or anchored:
            raise YamlProblem(
                f"YAML anchors and aliases (& and *) are not accepted (line {event.start_mark.line + 1}); "
                "write each value out in full"
            )
        return super().compose_node(parent, index)


def load(path: Path) -> Any:
    """The file's one YAML document. ``OSError`` and ``UnicodeDecodeError`` pass through for the
    caller to word; everything wrong with the YAML itself is a ``YamlProblem``."""
    text = path.read_text(encoding="utf-8")
    try:
        return yaml.load(text, Loader=_NoAliasLoader)
    except yaml.MarkedYAMLError as error:
        # PyYAML's message spans several lines and quotes the offending line under a caret: only its
        # fixed description of the problem, and where, are kept.
        mark = error.problem_mark
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise YamlProblem(f"not valid YAML{where}: {error.problem or 'unreadable'}") from None
    except yaml.YAMLError:
        raise YamlProblem("not valid YAML") from None
