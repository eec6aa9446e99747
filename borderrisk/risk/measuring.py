"""Distances to the segments measured in a process of its own.

Scoring a stream reads, pairs and tallies batches in threads (:class:`borderrisk.risk.read_ahead.
ReadAhead`), but reading and tallying are pandas work that holds Python's lock: threads alone
keep one core busy. The measuring (:meth:`borderrisk.geo.geodesy.NearLines.within`, the largest part of
pairing) needs only two columns of coordinates and gives back three arrays, so it moves to a
second process cheaply and runs on the other core. The numbers are the same: the same
:class:`~borderrisk.geo.geodesy.NearLines` code measures them, from the same segments.

The process is a fresh interpreter talking through its standard input and output (pickled
arrays), not a :mod:`multiprocessing` child: those import the caller's main script again,
which breaks a notebook's or script's code that has no ``if __name__ == "__main__"`` guard.
It starts isolated (``-I``: no current folder on its path, where a user's ``pickle.py`` would
shadow the real one) and then imports from the caller's own path.
"""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import IO, Any

import numpy as np

from borderrisk.data.errors import UserError

#: Events from which a stream's distances are measured apart: below, starting a process
#: costs more than it saves.
APART_FROM_ROWS = 200_000

#: ``(point, line, km)`` of every pair within reach (see :meth:`borderrisk.geo.geodesy.NearLines.within`).
Pairs = tuple[np.ndarray, np.ndarray, np.ndarray]

#: What the process answers once it holds the segments: started, it can measure.
READY = "ready"
#: Seconds the process has to start (an interpreter importing borderrisk and shapely on a
#: busy machine takes a few); one that has not answered by then is killed.
START_TIMEOUT = 60.0
#: What the process runs: the caller's import path, then :func:`_main`.
_START = "import sys, json; sys.path[:] = json.loads(sys.argv[1]); import borderrisk.risk.measuring as m; m._main()"


class MeasuringStopped(UserError):
    """The measuring process stopped before answering (killed, e.g. when memory ran out)."""


class MeasuredApart:
    """:meth:`borderrisk.geo.geodesy.NearLines.within` for ``lines``, computed in a process started
    here (``OSError`` if it cannot start within :data:`START_TIMEOUT` seconds: no interpreter,
    or one that cannot import borderrisk). One request at a time: a second one while an answer
    is pending is refused (both ends would wait on a full pipe). :meth:`close` (or leaving a
    ``with`` block) stops it."""

    def __init__(self, lines: np.ndarray) -> None:
        import shapely

        path = [os.fspath(p) for p in sys.path if isinstance(p, (str, os.PathLike)) and os.fspath(p)]
        self._pending = False
        self._process = subprocess.Popen(
            [sys.executable, "-I", "-c", _START, json.dumps(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        try:
            started = self._start(shapely.to_wkb(lines))
        except BaseException:  # the user stopped it meanwhile
            self._process.kill()
            self.close()
            raise
        if not started:
            self.close()
            raise OSError(f"the process measuring distances did not start within {START_TIMEOUT:g} s")

    def _start(self, segments: Any) -> bool:
        """Send the segments and wait for :data:`READY`, at most :data:`START_TIMEOUT` seconds
        (a process that hangs while starting reads nothing, so even the sending can wait): the
        talk happens in a thread, and a process that has not answered in time is killed, which
        ends the talk."""
        answers: list[Any] = []

        def talk() -> None:
            try:
                self._send(segments)
                answers.append(pickle.load(self._process.stdout))
            except (MeasuringStopped, EOFError, pickle.UnpicklingError, OSError, ValueError):
                pass  # not started: ValueError when the streams were closed under it

        talking = threading.Thread(target=talk, name="borderrisk-measuring-start", daemon=True)
        talking.start()
        talking.join(START_TIMEOUT)
        if talking.is_alive():
            self._process.kill()
            talking.join()
        return answers == [READY]

    def within_later(self, lon: np.ndarray, lat: np.ndarray, within_km: float) -> Callable[[], Pairs]:
        """Start measuring every (point, line) pair closer than ``within_km``; the call
        returned waits for the pairs and their distances in km. The caller works meanwhile
        (one measuring at a time: a second request before the answer is taken is refused with
        ``RuntimeError``)."""
        if self._pending:
            raise RuntimeError("one measuring at a time: take the pending answer before asking again")
        lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
        self._send((lon, lat, float(within_km)))
        self._pending = True
        return self._answer

    def within(self, lon: np.ndarray, lat: np.ndarray, within_km: float) -> Pairs:
        """Every (point, line) pair closer than ``within_km``, with its distance in km."""
        return self.within_later(lon, lat, within_km)()

    @property
    def pid(self) -> int:
        """The measuring process's id (to watch it, or stop it)."""
        return self._process.pid

    def _send(self, value: Any) -> None:
        try:
            pickle.dump(value, self._process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            self._process.stdin.flush()
        except BrokenPipeError:
            raise self._stopped() from None

    def _answer(self) -> Pairs:
        if not self._pending:
            raise RuntimeError("no measuring is pending: each answer is taken once")
        self._pending = False
        try:
            answer = pickle.load(self._process.stdout)
        except (EOFError, pickle.UnpicklingError):
            raise self._stopped() from None
        if isinstance(answer, str):
            raise RuntimeError(f"the process measuring distances failed: {answer}")
        return answer

    def _stopped(self) -> MeasuringStopped:
        try:
            code = self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            code = None
        if code is None:
            how = "it sent an unreadable answer"
        else:
            how = f"killed by signal {-code}" if code < 0 else f"exit code {code}"
        return MeasuringStopped(
            f"the process measuring distances to the borders stopped ({how}); if memory ran out, "
            "free some or score fewer events at once"
        )

    def close(self) -> None:
        """Close its input (it ends after the request at hand) and wait for it; a process that
        does not end within a minute is killed."""
        for stream in (self._process.stdin, self._process.stdout):
            with contextlib.suppress(BrokenPipeError):  # it had stopped already
                stream.close()
        try:
            self._process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()

    def __enter__(self) -> MeasuredApart:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _serve(requests: IO[bytes], answers: IO[bytes]) -> None:
    """The measuring process: the segments first, then each request answered in turn, until
    the caller closes its end (or goes away). An error in measuring is answered as its text."""
    import shapely

    from borderrisk.geo.geodesy import NearLines

    try:
        near = NearLines(shapely.from_wkb(pickle.load(requests)))
        pickle.dump(READY, answers, protocol=pickle.HIGHEST_PROTOCOL)
        answers.flush()
        while True:
            lon, lat, within_km = pickle.load(requests)
            try:
                point, line, km = near.within(lon, lat, within_km)
                # Positions fit 32 bits (a batch, the segments): a third less to send back.
                answer: Any = (point.astype(np.int32), line.astype(np.int32), km)
            except Exception as error:  # sent back: the caller reports it
                answer = f"{type(error).__name__}: {error}"
            pickle.dump(answer, answers, protocol=pickle.HIGHEST_PROTOCOL)
            answers.flush()
    except (EOFError, pickle.UnpicklingError, BrokenPipeError):
        return  # the caller closed its end, or stopped


def _main() -> None:
    import signal

    # Ctrl-C stops the caller, which closes this process's input: no second traceback here.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _serve(sys.stdin.buffer, sys.stdout.buffer)
    # Nothing left to flush to a caller that has gone: leave without Python's final flush.
    os._exit(0)
