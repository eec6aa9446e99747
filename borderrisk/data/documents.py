"""JSON read by one set of rules, whole or streamed: nesting is bounded
(:data:`~borderrisk.data.bounds.JSON_MAX_DEPTH`), text with lone surrogates (``"\\ud800"``, valid
JSON that no file or terminal can encode) has them replaced by U+FFFD, and anything wrong is one
:class:`InputError` naming the file, never a ``RecursionError`` or ``UnicodeEncodeError`` later.

Whole documents (score outputs, annotation stores, GeoJSON shapes) are small by nature and read
by :func:`load_json`; event lists, which may be gigabytes, are streamed record by record by
:func:`json_records` in the memory of one record.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import IO, Any

from borderrisk.data.bounds import JSON_MAX_DEPTH
from borderrisk.data.errors import InputError, Problem


def clean_text(text: str) -> str:
    """``text`` with lone surrogates replaced by U+FFFD (pairs become the character they make)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def clean(value: Any) -> Any:
    """A JSON value with :func:`clean_text` applied to every string in it, keys included."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(str(k)): clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean(v) for v in value]
    return value


def _too_deep(file: str) -> InputError:
    return InputError([Problem(file, "", "", f"is nested more than {JSON_MAX_DEPTH} levels deep")])


def _depth(value: Any) -> int:
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return deepest


def load_json(text: str, file: str) -> Any:
    """A whole JSON document, checked and cleaned; raises :class:`InputError` naming ``file``
    and the line when it is not JSON, or when it is nested too deep."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError([Problem(file, f"line {error.lineno}", "", f"is not valid JSON: {error.msg}")]) from None
    except RecursionError:
        raise _too_deep(file) from None
    if _depth(data) > JSON_MAX_DEPTH:
        raise _too_deep(file)
    return clean(data)


NOT_RECORDS = 'is not a list of records, nor {"data": [records]} or {"Result": [records]}'


def json_records(reopen: Callable[[], IO[bytes]], file: str) -> Iterator[dict[str, Any]]:
    """The records of a JSON list (``[{...}, ...]``) or of an API's answer holding one under
    ``data`` (ACLED) or ``Result`` (UCDP), one at a time, cleaned, from UTF-8 bytes that ``reopen()``
    opens. ijson's fast parser fails on a lone low surrogate (``"\\udfff"``): the file is then
    read again, from the record it had reached, by ijson's pure Python parser."""
    import ijson

    backends = [ijson] if ijson.backend == "python" else [ijson, ijson.get_backend("python")]
    handed = 0
    for backend in backends:
        try:
            with reopen() as handle:
                # basic_parse, not parse: parse builds each event's path, O(depth) text per event,
                # so a hostile 100,000-deep nesting took 12 s per reading to refuse
                for number, record in enumerate(_records(backend.basic_parse(handle, use_float=True), file)):
                    if number >= handed:
                        handed += 1
                        yield record
            return
        except UnicodeDecodeError:
            if backend is backends[-1]:
                raise  # the bytes are not UTF-8: the caller reads them in another encoding
        except ijson.JSONError as error:
            raise InputError([Problem(file, "", "", f"is not valid JSON: {error}")]) from None


def _records(events: Iterator[tuple[str, Any]], file: str) -> Iterator[dict[str, Any]]:
    kind, _ = next(events, ("", None))
    if kind == "start_map":
        depth = 1
        for event, value in events:  # to the "data" key of the top object
            if depth == 1 and event == "map_key" and value.lower() in ("data", "result"):
                break
            depth += (event in ("start_map", "start_array")) - (event in ("end_map", "end_array"))
            if depth == 0:
                raise InputError([Problem(file, "", "", NOT_RECORDS)])
        kind, _ = next(events, ("", None))
    if kind != "start_array":
        raise InputError([Problem(file, "", "", NOT_RECORDS)])
    for event, _value in events:
        if event == "end_array":
            return
        if event != "start_map":
            raise InputError([Problem(file, "", "", NOT_RECORDS)])
        yield clean(_built(events, "end_map", {}, 2, file))
    raise InputError([Problem(file, "", "", "is not valid JSON: it ends early")])


def _built(events: Iterator[tuple[str, Any]], end: str, into: Any, depth: int, file: str) -> Any:
    """The rest of an object or array whose start was read, at ``depth``."""
    if depth > JSON_MAX_DEPTH:
        raise _too_deep(file)
    key = None
    for event, value in events:
        if event == end:
            return into
        if event == "map_key":
            key = value
            continue
        if event in ("start_map", "start_array"):
            value = _built(
                events,
                "end_map" if event == "start_map" else "end_array",
                {} if event == "start_map" else [],
                depth + 1,
                file,
            )
        if isinstance(into, dict):
            into[key] = value
        else:
            into.append(value)
    raise InputError([Problem(file, "", "", "is not valid JSON: it ends early")])
