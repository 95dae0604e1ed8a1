"""Exceptions raised by the library.

The library never exits the process: it raises :class:`AnalyzerError` (or a subclass) for anything
the user can fix (bad input, bad model, bad arguments). The CLI turns these into a one-line
``error: ...`` message and exit code 2. Anything else escaping the library is a bug (exit code 1).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem found while validating input or a model.

    Attributes
    ----------
    where:
        Location of the problem: ``row 12, column 'Manager ID'`` or ``responsibilities[3].owner``.
    code:
        Stable machine-readable reason code, e.g. ``unknown_role`` or ``duplicate_id``.
    message:
        What is wrong, in plain words.
    fix:
        How to fix it (may be empty when obvious from the message).
    """

    where: str
    code: str
    message: str
    fix: str = ""

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        return f"{text}; {self.fix}" if self.fix else text


class AnalyzerError(Exception):
    """Base class of every error the user can fix. ``str(error)`` is one line."""


class InputError(AnalyzerError):
    """The input file cannot be analysed (unreadable, empty, missing columns, ...).

    ``problems`` lists every problem found in one pass; ``str()`` is a one-line summary.
    """

    def __init__(self, source: str, summary: str, problems: list[Problem] | None = None):
        self.source = source
        self.summary = summary
        self.problems = list(problems or [])
        super().__init__(self._one_line())

    def _one_line(self) -> str:
        head = f"{self.source}: {self.summary}" if self.source else self.summary
        if not self.problems:
            return head
        first = str(self.problems[0])
        more = len(self.problems) - 1
        tail = f" (and {more} more problem{'s' if more != 1 else ''})" if more else ""
        return f"{head}: {first}{tail}"


class ModelError(AnalyzerError):
    """The role model file is invalid. ``problems`` holds every problem with its path in the file."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = list(problems)
        super().__init__(self._one_line())

    def _one_line(self) -> str:
        if len(self.problems) == 1:
            return f"{self.source}: {self.problems[0]}"
        rest = len(self.problems) - 1
        return f"{self.source}: {self.problems[0]} (and {rest} more problem{'s' if rest != 1 else ''})"

    def details(self) -> str:
        """All problems, one per line, for a longer listing."""
        lines = [f"{self.source} has {len(self.problems)} problem(s):"]
        lines += [f"  {problem}" for problem in self.problems]
        return "\n".join(lines)


class UsageError(AnalyzerError):
    """An argument or option has a value the library cannot use."""
