"""Indented JSON text, the same bytes as ``json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)``.

Python's JSON encoder is written in C only for compact output: with ``indent`` it falls back to a
pure-Python generator that yields every bracket, comma and key as a separate piece (1 s for the
report.json of 10,000 people). :func:`dumps_indented` builds each container's text with one ``join``,
escapes strings with the encoder's own C function and formats numbers as :mod:`json` does, which is
about three times faster. Anything it does not expect (keys that are not strings, objects JSON cannot
hold) is handed to :func:`json.dumps` itself, so its output and its errors are always json's.

Examples
--------
>>> value = {"b": [1, 2.5, None], "a": {"x": True, "y": "é\\n"}, "c": [], "d": {}}
>>> dumps_indented(value) == json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)
True
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring
from typing import Any

_INFINITY = float("inf")
_KEYS: dict[str, str] = {}  # key -> its encoded text and ": " (reports repeat a few dozen keys millions of times)


class _Unexpected(TypeError):
    """Something :func:`json.dumps` should encode (or reject) itself."""


class RawJSON(str):
    """JSON text that :func:`dumps_indented` inserts as it is (encoded before, at the depth it goes to)."""


def dumps_indented(value: Any, depth: int = 0) -> str:
    """``json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)``, faster (see the module doc).

    ``depth``: the nesting level the value will sit at (its lines are indented for it), for a
    :class:`RawJSON` piece of a larger document. With ``depth`` or :class:`RawJSON` pieces, what json
    would have to encode itself raises ``TypeError`` instead (json cannot insert raw pieces).
    """
    try:
        return _encode(value, "\n" + "  " * depth)
    except (_Unexpected, RecursionError):
        if depth or _holds_raw(value):
            raise
        return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)


def _holds_raw(value: Any) -> bool:
    if isinstance(value, RawJSON):
        return True
    if isinstance(value, dict):
        return any(_holds_raw(item) for item in value.values())
    if isinstance(value, (list, tuple)):
        return any(_holds_raw(item) for item in value)
    return False


def _float(value: float) -> str:
    if value != value:
        return "NaN"
    if value == _INFINITY:
        return "Infinity"
    if value == -_INFINITY:
        return "-Infinity"
    return float.__repr__(value)


def _encode(value: Any, newline: str) -> str:
    """``value`` as JSON text; ``newline`` is a line break plus the indent of the line ``value`` starts on."""
    # The order of the tests is json's: str, None, True, False, int, float, list/tuple, dict.
    if type(value) is RawJSON:
        return value
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    inner = newline + "  "
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        texts = [encode_basestring(item) if type(item) is str else _encode(item, inner) for item in value]
        return "[" + inner + ("," + inner).join(texts) + newline + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        try:
            keys = sorted(value)
        except TypeError:
            raise _Unexpected from None
        items = []
        for key in keys:
            head = _KEYS.get(key) if type(key) is str else None
            if head is None:
                if type(key) is not str:
                    raise _Unexpected  # json turns numbers, booleans and None into key strings; leave that to it
                head = encode_basestring(key) + ": "
                if len(_KEYS) < 10_000:
                    _KEYS[key] = head
            item = value[key]
            kind = type(item)  # the common scalars inline: a call per value is most of the cost
            if kind is str:
                text = encode_basestring(item)
            elif kind is int:
                text = int.__repr__(item)
            elif kind is float:
                text = _float(item)
            else:
                text = _encode(item, inner)
            items.append(head + text)
        return "{" + inner + ("," + inner).join(items) + newline + "}"
    raise _Unexpected
