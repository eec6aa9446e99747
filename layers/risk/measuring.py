"""Distances to the segments measured in a process of its own.

Scoring a stream reads, pairs and tallies batches in threads (:class:`layers.data.batches.
ReadAhead`), but reading and tallying are pandas work that holds Python's lock: threads alone
keep one core busy. The measuring (:meth:`geo.geodesy.NearLines.within`, the largest part of
pairing) needs only two columns of coordinates and gives back three arrays, so it moves to a
second process cheaply and runs on the other core. The numbers are the same: the same
:class:`~geo.geodesy.NearLines` code measures them, from the same segments.

The process is a fresh interpreter talking through its standard input and output (pickled
arrays), not a :mod:`multiprocessing` child: those import the caller's main script again,
which breaks a notebook's or script's code that has no ``if __name__ == "__main__"`` guard.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Callable
from typing import IO, Any

import numpy as np

#: Events from which a stream's distances are measured apart: below, starting a process
#: costs more than it saves.
APART_FROM_ROWS = 200_000

#: ``(point, line, km)`` of every pair within reach (see :meth:`geo.geodesy.NearLines.within`).
Pairs = tuple[np.ndarray, np.ndarray, np.ndarray]


class MeasuredApart:
    """:meth:`geo.geodesy.NearLines.within` for ``lines``, computed in a process started
    here. :meth:`close` (or leaving a ``with`` block) stops it."""

    def __init__(self, lines: np.ndarray) -> None:
        import shapely

        environment = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        self._process = subprocess.Popen(
            [sys.executable, "-m", __name__], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=environment
        )
        _send(self._process.stdin, shapely.to_wkb(lines))

    def within_later(self, lon: np.ndarray, lat: np.ndarray, within_km: float) -> Callable[[], Pairs]:
        """Start measuring every (point, line) pair closer than ``within_km``; the call
        returned waits for the pairs and their distances in km. The caller works meanwhile
        (one measuring at a time: call it before starting another)."""
        lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
        try:
            _send(self._process.stdin, (lon, lat, float(within_km)))
        except BrokenPipeError:
            return self._failed
        return self._answer

    def within(self, lon: np.ndarray, lat: np.ndarray, within_km: float) -> Pairs:
        """Every (point, line) pair closer than ``within_km``, with its distance in km."""
        return self.within_later(lon, lat, within_km)()

    def _answer(self) -> Pairs:
        try:
            answer = pickle.load(self._process.stdout)
        except (EOFError, pickle.UnpicklingError):
            return self._failed()
        if isinstance(answer, str):
            raise RuntimeError(f"the process measuring distances failed: {answer}")
        return answer

    def _failed(self) -> Pairs:
        raise RuntimeError(f"the process measuring distances stopped (exit code {self._process.poll()})")

    def close(self) -> None:
        for stream in (self._process.stdin, self._process.stdout):
            stream.close()
        self._process.wait()

    def __enter__(self) -> MeasuredApart:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _send(stream: IO[bytes], value: Any) -> None:
    pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
    stream.flush()


def _serve(requests: IO[bytes], answers: IO[bytes]) -> None:
    """The measuring process: the segments first, then each request answered in turn, until
    the caller closes its end. An error is answered as its text."""
    import shapely

    from geo.geodesy import NearLines

    near = NearLines(shapely.from_wkb(pickle.load(requests)))
    while True:
        try:
            lon, lat, within_km = pickle.load(requests)
        except EOFError:
            return
        try:
            point, line, km = near.within(lon, lat, within_km)
            # Positions fit 32 bits (a batch, the segments): a third less to send back.
            answer: Any = (point.astype(np.int32), line.astype(np.int32), km)
        except Exception as error:  # sent back: the caller reports it
            answer = f"{type(error).__name__}: {error}"
        _send(answers, answer)


if __name__ == "__main__":
    import signal

    # Ctrl-C stops the caller, which closes this process's input: no second traceback here.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _serve(sys.stdin.buffer, sys.stdout.buffer)
