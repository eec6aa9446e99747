"""Batches read ahead in a thread of their own: the same items in the same order, errors raised
where their item would have come, memory bounded, and nothing left reading after an early stop."""

import threading
import time

import pytest

from borderrisk.risk.read_ahead import ReadAhead


def test_items_come_in_order_and_all_of_them():
    assert list(ReadAhead(iter(range(1000)))) == list(range(1000))
    assert list(ReadAhead([])) == []


def test_an_error_of_the_reading_comes_after_the_items_before_it():
    def reading():
        yield 1
        yield 2
        raise ValueError("line 7: bad row")

    got = []
    with pytest.raises(ValueError, match="line 7: bad row"):
        for item in ReadAhead(reading()):
            got.append(item)
    assert got == [1, 2]


def test_the_reading_waits_for_the_consumer():
    read = []

    def reading():
        for number in range(100):
            read.append(number)
            yield number

    items = ReadAhead(reading(), waiting=1)
    assert next(items) == 0
    time.sleep(0.3)
    # one item taken, one waiting, one read and waiting to be handed: never the whole input
    assert len(read) <= 3
    items.close()


def _endless(closed: threading.Event):
    """An input far too long to read whole, which says when it is closed."""
    try:
        yield from range(10**9)
    finally:
        closed.set()


def test_stopping_early_stops_the_reading_and_closes_the_source():
    closed = threading.Event()
    for item in ReadAhead(_endless(closed)):
        if item == 5:
            break
    assert closed.wait(5)
    assert not [t for t in threading.enumerate() if t.name == "borderrisk-read-ahead"]


def test_an_error_of_the_consumer_stops_the_reading_too():
    closed = threading.Event()
    with pytest.raises(RuntimeError):
        for item in ReadAhead(_endless(closed)):
            if item == 3:
                raise RuntimeError("scoring failed")
    assert closed.wait(5)


def test_the_reading_starts_as_soon_as_it_is_made():
    started = threading.Event()

    def reading():
        started.set()
        yield 1

    items = ReadAhead(reading())
    assert started.wait(5)  # before anyone asks for an item: the consumer may do other work meanwhile
    assert list(items) == [1]


def test_closing_the_inner_of_two_read_aheads_first_ends_the_outer_one():
    """Shutdown does not depend on the order things are closed in: a reader waiting on a
    read-ahead that was closed under it gets the end, not a wait forever."""
    release = threading.Event()

    def reading():
        yield 1
        release.wait(10)
        yield 2

    inner = ReadAhead(reading())
    outer = ReadAhead(inner)
    assert next(outer) == 1
    closing = threading.Thread(target=inner.close)
    closing.start()  # the outer reader is now waiting on inner for item 2
    release.set()
    closing.join(5)
    rest: list[int] = []
    taking = threading.Thread(target=lambda: rest.extend(outer), daemon=True)
    taking.start()
    taking.join(5)
    assert not taking.is_alive(), "the outer read-ahead waited forever for a closed inner one"
    outer.close()
