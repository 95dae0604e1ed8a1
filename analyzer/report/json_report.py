"""report.json: the stable machine-readable contract (schema_version 1).

The schema is published in ``analyzer/schemas/report.schema.json``. Output is deterministic: keys
are sorted, lists keep the analysis's sorted order, floats are rounded, and no timestamps are written.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from functools import lru_cache
from importlib import resources
from typing import Any

from analyzer import __version__
from analyzer.records import Analysis, Finding, PersonAnalysis
from analyzer.report.jsontext import RawJSON, dumps_indented

SCHEMA_VERSION = 1
TOOL_NAME = "org-overlap-analyzer"
_DECIMALS = 4
COMPACT_ABOVE_PEOPLE = 10_000


def report_dict(analysis: Analysis, person: Callable[[PersonAnalysis], dict[str, Any]] | None = None
                ) -> dict[str, Any]:
    """The report as plain data, following the JSON schema (``person`` builds each person's entry)."""
    person = person or _person
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": TOOL_NAME, "version": __version__},
        "input": {
            "path": analysis.input_path,
            "rows": analysis.input_rows,
            "sha256": analysis.input_sha256,
            "columns": dict(sorted(analysis.columns.items())),
            "title_only": analysis.title_only,
        },
        "model": _model(analysis),
        "people": [person(entry) for entry in analysis.people],
        "skipped_rows": [{"row": s.row, "id": s.id, "reason": s.reason} for s in analysis.skipped_rows],
        "findings": [finding_dict(f) for f in analysis.findings],
        "warnings": list(analysis.warnings),
    }


def _model(analysis: Analysis) -> dict[str, Any]:
    model: dict[str, Any] = {"id": analysis.model_id, "version": analysis.model_version}
    if analysis.min_confidence is not None:
        model["min_confidence"] = analysis.min_confidence
    model["semantic"] = analysis.semantic
    return model


def _person(person: PersonAnalysis, responsibilities: Any = None) -> dict[str, Any]:
    record, role = person.record, person.role
    if responsibilities is None:
        responsibilities = _responsibilities(person.holdings)
    return {
        "id": record.id,
        "name": record.name,
        "title": record.title,
        "team": record.team,
        "manager_id": record.manager_id,
        "row": record.row,
        "title_only": person.title_only,
        "role": {
            "canonical": role.canonical,
            "confidence": round(float(role.confidence), _DECIMALS),
            "from_title": role.from_title,
            "from_content": role.from_content,
            "family": role.family,
            "content_family": role.content_family,
        },
        "responsibilities": responsibilities,
        "unmapped": list(person.unmapped),
    }


def _responsibilities(holdings: tuple) -> list[dict[str, Any]]:
    return [{"id": h.responsibility, "level": h.level.value, "score": round(float(h.score), _DECIMALS),
             "evidence": list(h.evidence)} for h in holdings]


def finding_dict(finding: Finding) -> dict[str, Any]:
    return {
        "kind": finding.kind.value,
        "severity": finding.severity.value,
        "scope": finding.scope,
        "responsibility": finding.responsibility,
        "people": list(finding.people),
        "rule": finding.rule,
        "explanation": finding.explanation,
        "suggestion": finding.suggestion,
        "metrics": dict(finding.metrics),
        "evidence": [{"person": e.person, "text": e.text} for e in finding.evidence],
    }


def json_chunks(analysis: Analysis) -> Iterator[str]:
    """report.json text in pieces: their concatenation is :func:`to_json`'s text.

    Above :data:`COMPACT_ABOVE_PEOPLE` people, each person and each finding is encoded on its own (json's C
    encoder, compact, as it encodes them inside the whole document), so neither the whole document's data
    nor its text (170 MB for 100,000 people) is ever held at once. Smaller reports come as one piece.
    """
    if len(analysis.people) > COMPACT_ABOVE_PEOPLE:
        yield from _compact_chunks(analysis)
    else:
        yield _indented(analysis)


def to_json(analysis: Analysis) -> str:
    """report.json text: sorted keys, two-space indent, UTF-8 characters kept, trailing newline.

    Above :data:`COMPACT_ABOVE_PEOPLE` people the JSON is written without indentation: Python's JSON
    encoder indents in pure Python, several times slower (26 s instead of 6 s for 100,000 people) and
    40% larger; the data is the same. Indented text comes from :func:`~analyzer.report.jsontext.dumps_indented`
    (json's bytes, about twice as fast).
    """
    return "".join(json_chunks(analysis))


def _indented(analysis: Analysis) -> str:
    # People who share a description share their holdings (often the very same tuple): each distinct list
    # of responsibilities is built once, encoded once at the depth it sits in the document, and inserted as it is.
    shared = _SharedResponsibilities(_PERSON_FIELD_DEPTH)

    def person(entry: PersonAnalysis) -> dict[str, Any]:
        return _person(entry, shared.get(entry.holdings))

    try:
        return dumps_indented(report_dict(analysis, person)) + "\n"
    except TypeError:  # something only json itself encodes (or rejects): the plain way
        return dumps_indented(report_dict(analysis)) + "\n"


def _compact_chunks(analysis: Analysis) -> Iterator[str]:
    """json's compact text of the report, written out key by key and, in the two long lists, item by item."""
    shared = _SharedResponsibilities(None)  # each distinct list of responsibilities built once
    encode = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode
    lists: dict[str, Iterable[Any]] = {
        "people": (_person(entry, shared.get(entry.holdings)) for entry in analysis.people),
        "findings": (finding_dict(finding) for finding in analysis.findings),
    }
    rest = report_dict(replace(analysis, people=[], findings=[]))  # the small parts, as the schema has them
    for index, key in enumerate(sorted(rest)):
        yield f"{',' if index else '{'}{encode(key)}:"
        if key in lists:
            yield "["
            for number, item in enumerate(lists[key]):
                yield f"{',' if number else ''}{encode(item)}"
            yield "]"
        else:
            yield encode(rest[key])
    yield "}\n"


class _SharedResponsibilities:
    """A person's "responsibilities" list, made once per distinct holdings (as JSON text when ``depth``)."""

    def __init__(self, depth: int | None) -> None:
        self.depth = depth
        self.by_id: dict[int, Any] = {}
        self.by_value: dict[tuple, Any] = {}

    def get(self, holdings: tuple) -> Any:
        made = self.by_id.get(id(holdings))
        if made is None:
            made = self.by_value.get(holdings)
            if made is None:
                made = _responsibilities(holdings)
                if self.depth is not None:
                    made = RawJSON(dumps_indented(made, self.depth))
                self.by_value[holdings] = made
            self.by_id[id(holdings)] = made  # the tuple lives as long as the analysis: its id stays its own
        return made


_PERSON_FIELD_DEPTH = 3  # report -> "people" list -> a person -> its fields


@lru_cache(maxsize=1)
def report_schema() -> dict[str, Any]:
    """The published JSON Schema of report.json."""
    text = (resources.files("analyzer") / "schemas" / "report.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


def validate_report(data: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` when ``data`` breaks the published schema."""
    import jsonschema

    jsonschema.validate(data, report_schema())
