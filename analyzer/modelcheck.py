"""Collecting the problems of a data file (a role model) so that all of them are reported at once.

The parsers in :mod:`analyzer.model` call a :class:`Checker` for every field; it records each
problem with its path in the file, a reason code and a fix, and raises one :class:`ModelError`.
"""

from __future__ import annotations

import difflib
import re

from analyzer.errors import ModelError, Problem

_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")


class Checker:
    """Collects problems while reading a model, so that all of them are reported together."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, where: str, code: str, message: str, fix: str = "") -> None:
        self.problems.append(Problem(where, code, message, fix))

    def raise_if_any(self, source: str) -> None:
        if self.problems:
            raise ModelError(source, self.problems)

    def text(self, data: dict, key: str, where: str, required: bool = True) -> str:
        path = f"{where}.{key}" if where else key
        value = data.get(key)
        if value is None:
            if required:
                self.add(path, "missing", f"'{key}' is required", f"add '{key}: ...'")
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.add(path, "not_text", f"'{key}' must be text, got {type(value).__name__}")
            return ""
        return str(value).strip()

    def identifier(self, data: dict, key: str, where: str) -> str:
        value = self.text(data, key, where)
        path = f"{where}.{key}" if where else key
        if value and not _ID_RE.match(value):
            self.add(path, "bad_id", f"{value!r} is not a valid id",
                     "use lowercase letters, digits and underscores, starting with a letter")
        return value

    def strings(self, data: dict, key: str, where: str, required: bool = False) -> tuple[str, ...]:
        path = f"{where}.{key}" if where else key
        value = data.get(key)
        if value is None:
            if required:
                self.add(path, "missing", f"'{key}' is required", f"add a list under '{key}:'")
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.add(path, "not_a_list", f"'{key}' must be a list of text")
            return ()
        result = []
        for pos, item in enumerate(value):
            if isinstance(item, bool) or not isinstance(item, (str, int, float)):
                self.add(f"{path}[{pos}]", "not_text", f"must be text, got {type(item).__name__}")
                continue
            text = str(item).strip()
            if text:
                result.append(text)
        return tuple(result)

    def items(self, data: dict, key: str, parse, required: bool = True) -> list:
        value = data.get(key)
        if value is None:
            if required:
                self.add(key, "missing", f"'{key}' is required", f"add a list under '{key}:'")
            return []
        if not isinstance(value, list):
            self.add(key, "not_a_list", f"'{key}' must be a list")
            return []
        parsed = []
        for index, item in enumerate(value):
            where = f"{key}[{index}]"
            if not isinstance(item, dict):
                self.add(where, "not_a_mapping", "each entry must be a mapping with an 'id'")
                continue
            parsed.append(parse(self, item, where))
        return parsed

    def unique(self, where: str, ids: list[str]) -> None:
        seen: set[str] = set()
        for index, item_id in enumerate(ids):
            if item_id and item_id in seen:
                self.add(f"{where}[{index}].id", "duplicate_id", f"id {item_id!r} is used twice",
                         "give every entry its own id")
            seen.add(item_id)

    def known(self, where: str, value: str, known: list[str], what: str) -> None:
        if not value or value in known:
            return
        if not known:
            self.add(where, f"unknown_{what}", f"unknown {what} {value!r}: the model defines no {what} to refer to",
                     f"define the {what} in the model, or drop the reference")
            return
        close = difflib.get_close_matches(value, known, n=1)
        fix = f"did you mean {close[0]!r}?" if close else f"use one of the {what} ids defined in the model"
        listing = ", ".join(sorted(known)[:8]) + (", ..." if len(known) > 8 else "")
        self.add(where, f"unknown_{what}", f"unknown {what} {value!r} (known: {listing})", fix)

    def choice(self, where: str, value: str, allowed: tuple[str, ...]) -> None:
        if value not in allowed:
            self.add(where, "not_allowed", f"{value!r} is not allowed (allowed: {', '.join(allowed)})")
