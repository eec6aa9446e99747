"""Reading ahead: the items of an iterator made in a thread of its own while the consumer
works on the previous ones.

It lives with the model, which is its one user: the thread runs the model's own work (its
pairing of a batch) as well as the reading of the batches below it, so the room that hands the
work to the thread owns the thread and every call from it points down the house
(``tests/test_recipe_path.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")


class ReadAhead(Iterator[T]):
    """The items of ``items`` in order, read in a thread of its own from the moment this is
    made, while the consumer works on the previous ones: reading a file (pyarrow, pandas,
    shapely) and scoring it (numpy, shapely) mostly release the GIL, so on two cores they
    overlap. At most ``waiting`` items wait to be taken, so memory stays bounded; an error
    raised by the reading is raised here, where its item would have come. :meth:`close` (or
    the end, an error, or letting go of this) stops the reading at its next item and closes
    ``items``.

    Every wait is bounded (:data:`POLL` seconds, then the other side is looked at again), so
    shutdown needs no order: a consumer waiting on a reading that was stopped, or that ended
    without handing its end marker, ends too; one read-ahead reading another ends when the
    inner one is closed first."""

    def __init__(self, items: Iterable[T], waiting: int = 1) -> None:
        import queue
        import threading

        self._handed: queue.Queue = queue.Queue(maxsize=waiting)
        self._stop = threading.Event()
        # The thread holds no reference to this object, so letting go of it stops the thread.
        self._reader = threading.Thread(
            target=_read_ahead, args=(items, self._handed, self._stop), name="borderrisk-read-ahead", daemon=True
        )
        self._reader.start()

    def __next__(self) -> T:
        item, error = self._take()
        if error is not None or item is _END:
            self.close()
            if error is not None:
                raise error
            raise StopIteration
        return item

    def _take(self) -> tuple[Any, BaseException | None]:
        """The next handed pair; the end marker once stopped, or once the reader is gone
        with nothing left to take."""
        import queue

        while not self._stop.is_set():
            try:
                return self._handed.get(timeout=POLL)
            except queue.Empty:
                if not self._reader.is_alive():
                    try:  # what it handed just before it ended
                        return self._handed.get_nowait()
                    except queue.Empty:
                        break
        return _END, None

    def close(self, timeout: float = 60) -> None:
        """Stop the reading and wait (up to ``timeout`` seconds: an item being read is
        finished first) for it to close ``items``."""
        self._stop.set()
        self._reader.join(timeout)

    def __del__(self) -> None:
        if hasattr(self, "_reader"):
            self.close()


#: The end marker a reading hands after its last item.
_END = object()
#: Seconds a wait lasts before the other side is looked at again.
POLL = 0.05


def _read_ahead(items: Iterable[Any], handed: Any, stop: Any) -> None:
    """The reading thread of :class:`ReadAhead`: each item (or the error) handed over, then
    :data:`_END`; it stops when ``stop`` is set, and closes ``items``."""
    import queue

    def hand(item: Any) -> bool:
        while not stop.is_set():
            try:
                handed.put(item, timeout=POLL)
                return True
            except queue.Full:
                continue
        return False

    iterator = iter(items)
    try:
        for item in iterator:
            if not hand((item, None)):
                return
        hand((_END, None))
    except BaseException as error:  # raised again in the consumer
        hand((None, error))
    finally:
        close = getattr(iterator, "close", None)
        if close is not None:
            close()
