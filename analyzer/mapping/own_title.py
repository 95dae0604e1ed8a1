"""A job description that names its own job in the third person: "The Technical Manager runs the performance reviews".

The mapper reads each statement without knowing whose description it is, so a statement that opens with a job's name
("The Head of Data hires the analysts", "Our CTO sets the technical strategy") gives the clause's subject as someone
else (``"_other"``, see :mod:`analyzer.mapping.clauses`). In that job's own description the subject is the reader:
HR exports often describe a job in the third person by its title. :func:`as_read_by` gives those clauses back to the
reader once the title is known, before the role is read and the holdings are assembled.

A statement counts when its opening names the title as the title reader normalises it (abbreviations expanded,
seniority dropped: "The Sr. Technical Manager will ..." for a "Technical Manager"), after an optional article or "our";
the title's first segment is compared ("Product Manager, Payments" is named by "The Product Manager ..."). Only a
statement whose every clause about someone else opens with the title is changed: "The Technical Manager works with
Finance, who approve the budget" leaves the budget with Finance.

Examples
--------
>>> from analyzer.model import load_model
>>> from analyzer.mapping.titles import TitleReader
>>> titles = TitleReader(load_model())
>>> opens_with_title("The Sr. Technical Manager will run the reviews", "Technical Manager", titles)
True
>>> opens_with_title("The Technical Manager's team runs the reviews", "Technical Manager", titles)
False
"""

from __future__ import annotations

import dataclasses
import re

from analyzer.mapping.clauses import read_clauses
from analyzer.mapping.nouns import SOMEONE_ELSE
from analyzer.mapping.titles import TitleReader
from analyzer.records import StatementMapping, TextMapping

_OPENING_RE = re.compile(r"^[-*\u2022\s]*(?:(?:the|our|this|a|an)\s+)?", re.IGNORECASE)
_OPENING_WORDS = 12  # enough for the longest titles ("Senior Director of Product Management, Platform")


def _own_names(title: str, titles: TitleReader) -> tuple[str, ...]:
    """The title's first segment as the title reader normalises it, and each of its jobs joined by "and" ("CTO &
    Co-founder": the CTO, the co-founder); () when nothing is left."""
    name = titles.normalise(title).split(" | ", 1)[0].strip()
    if not name:
        return ()
    return (name, *(part for part in name.split(" and ") if part != name))


def opens_with_title(text: str, title: str, titles: TitleReader) -> bool:
    """True when ``text`` opens with the job's own ``title`` (after an article or "our"), as its subject."""
    names = _own_names(title, titles)
    return bool(names) and _opens_with_name(text, names, titles)


def _opens_with_name(text: str, names: tuple[str, ...], titles: TitleReader) -> bool:
    words = text[_OPENING_RE.match(text).end():].split()[:_OPENING_WORDS]
    if not words:
        return False
    opening = titles.normalise(" ".join(words)).split(" | ", 1)[0]
    # a possessive is not the job ("The CTO's team runs ...")
    return any(opening == name or (opening.startswith(f"{name} ") and not opening.startswith(f"{name} 's"))
               for name in names)


def as_read_by(mapping: TextMapping, title: str, titles: TitleReader) -> TextMapping:
    """``mapping`` with the clauses whose subject is the job's own ``title`` given back to the reader (the same object
    when no statement changes)."""
    if not title or not mapping.mappings:
        return mapping
    names = _own_names(title, titles)
    if not names:
        return mapping
    changed = False
    statements: list[StatementMapping] = []
    for statement in mapping.mappings:
        if any(match.subject == SOMEONE_ELSE for match in statement.matches) \
                and _opens_with_name(statement.text, names, titles) \
                and _only_the_job_is_other(statement.text, names, titles):
            statement = dataclasses.replace(statement, matches=tuple(
                dataclasses.replace(match, subject=None) if match.subject == SOMEONE_ELSE else match
                for match in statement.matches))
            changed = True
        statements.append(statement)
    return dataclasses.replace(mapping, mappings=tuple(statements)) if changed else mapping


def _only_the_job_is_other(text: str, names: tuple[str, ...], titles: TitleReader) -> bool:
    """Whether every clause of ``text`` about someone else opens with the job's own name."""
    return all(_opens_with_name(clause.text, names, titles) for clause in read_clauses(text)
               if clause.subject == SOMEONE_ELSE)
