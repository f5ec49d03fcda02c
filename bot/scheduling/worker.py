"""A planning worker process: ``python -m bot.scheduling.worker``, started by ``bot/scheduling/pool.py``.

It reads frames from standard input — (tick token, pickled context or None, batch rows) — and
answers each with (True, the plan) or (False, the traceback) on standard output; end of input ends
it. It imports the engine and ``bot/scheduling/batch.py`` only: no database, no platform SDK.
"""

from __future__ import annotations

import fcntl
import pickle
import struct
import sys
import traceback
from contextlib import suppress
from typing import IO, Any

FRAME = struct.Struct("!Q")  # each message: its length, then a pickle
# A batch is megabytes each way (a year of history is 2.7 KB of summary a person). Through Linux's
# default 64 KiB pipes that is dozens of trips round the tick's event loop per batch; at the 1 MiB an
# unprivileged process may ask for, a handful.
PIPE_BYTES = 1 << 20


def widen_pipes(*fds: int) -> None:
    """Ask for ``PIPE_BYTES`` of buffer on the pipes ``fds`` (either end sets it for both). Only
    Linux has the setting; elsewhere, or if refused, the pipes stay as they are."""
    setting = getattr(fcntl, "F_SETPIPE_SZ", None)
    if setting is None:
        return
    for fd in fds:
        with suppress(OSError):
            fcntl.fcntl(fd, setting, PIPE_BYTES)


def write_frame(stream: Any, value: object) -> None:
    data = pickle.dumps(value, protocol=5)
    stream.write(FRAME.pack(len(data)) + data)


def read_frame(stream: IO[bytes]) -> Any | None:
    head = stream.read(FRAME.size)
    if len(head) < FRAME.size:
        return None  # end of input
    return pickle.loads(stream.read(FRAME.unpack(head)[0]))


def main() -> None:
    from bot.scheduling.batch import collector_paused, plan_rows

    source, sink = sys.stdin.buffer, sys.stdout.buffer
    widen_pipes(source.fileno(), sink.fileno())
    context = None
    while (frame := read_frame(source)) is not None:
        _, pickled, rows = frame
        if pickled is not None:
            context = pickle.loads(pickled)
        try:
            if context is None:
                raise RuntimeError("the tick's first frame to a worker carries the context")
            with collector_paused():
                answer: tuple[bool, object] = (True, plan_rows(context, rows))
        except Exception:
            answer = (False, traceback.format_exc())
        write_frame(sink, answer)
        sink.flush()


if __name__ == "__main__":
    main()
