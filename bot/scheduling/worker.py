"""A planning worker process: ``python -m bot.scheduling.worker``, started by ``bot/scheduling/pool.py``.

It reads frames from standard input — (tick token, pickled context or None, batch rows) — and
answers each with (True, the plan) or (False, the traceback) on standard output; end of input ends
it. It imports the engine and ``bot/scheduling/batch.py`` only: no database, no platform SDK.
"""

from __future__ import annotations

import pickle
import struct
import sys
import traceback
from typing import IO, Any

FRAME = struct.Struct("!Q")  # each message: its length, then a pickle


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
