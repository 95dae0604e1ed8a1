"""Compare two analyses of the same organisation: who gained or lost what, and which findings changed.

People are matched by id (the export's employee id). Findings are matched by (kind, scope,
responsibility, people, rule): a finding in *before* and not in *after* is fixed, the reverse is
introduced; a finding whose wording changed but whose key did not is unchanged.

:func:`diff_analyses` builds a :class:`Diff`; :func:`diff_json` and :func:`diff_markdown` render it and
:func:`write_diff` writes ``diff.json`` and ``diff.md``. ``analyze diff before.csv after.csv`` runs it.

Examples
--------
>>> from analyzer.records import Analysis
>>> empty = Analysis("a.csv", 0, "0" * 64, "m", "1", [], [], [])
>>> diff_analyses(empty, empty).unchanged_findings
0
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from analyzer.errors import UsageError
from analyzer.findings import finding_key
from analyzer.graph import id_sort_key, scope_of
from analyzer.records import Analysis, Finding, PersonAnalysis

DIFF_VERSION = 1
PERSON_FIELDS = ("name", "title", "team", "manager_id", "role")
_LEVEL_RANK = {None: -1, "I": 0, "C": 1, "R": 2, "A": 3}


@dataclass(frozen=True)
class PersonChange:
    """A field of a person that differs between the two analyses."""

    person: str
    field: str  # one of PERSON_FIELDS
    before: str
    after: str


@dataclass(frozen=True)
class LevelChange:
    """A person's RACI level on a responsibility before and after (None: not held)."""

    person: str
    responsibility: str
    before: str | None
    after: str | None

    @property
    def change(self) -> str:
        """'gained', 'lost', 'raised' or 'lowered'."""
        if self.before is None:
            return "gained"
        if self.after is None:
            return "lost"
        return "raised" if _LEVEL_RANK[self.after] > _LEVEL_RANK[self.before] else "lowered"


@dataclass(frozen=True)
class OwnershipChange:
    """Who is accountable (A) for a responsibility in a scope, before and after."""

    scope: str
    responsibility: str
    before: tuple[str, ...]
    after: tuple[str, ...]


@dataclass(frozen=True)
class Diff:
    """What changed between two analyses (everything sorted)."""

    before_path: str
    after_path: str
    before_people: int
    after_people: int
    people_added: tuple[str, ...]
    people_removed: tuple[str, ...]
    person_changes: tuple[PersonChange, ...]
    level_changes: tuple[LevelChange, ...]
    ownership_changes: tuple[OwnershipChange, ...]
    fixed: tuple[Finding, ...]
    introduced: tuple[Finding, ...]
    unchanged_findings: int
    names: tuple[tuple[str, str], ...] = ()  # person id -> display name, from both analyses
    # How the two analyses read the descriptions differently (model, threshold, mapper): changes may come from
    # the reading rather than from the organisation.
    warnings: tuple[str, ...] = ()

    def name(self, person_id: str) -> str:
        return dict(self.names).get(person_id) or f"person {person_id}"


def diff_analyses(before: Analysis, after: Analysis) -> Diff:
    """Compare two analyses (see the module docstring)."""
    old = {p.id: p for p in before.people}
    new = {p.id: p for p in after.people}
    common = sorted(old.keys() & new.keys(), key=id_sort_key)
    person_changes = [PersonChange(pid, field, a, b) for pid in common for field in PERSON_FIELDS
                      if (a := _field(old[pid], field)) != (b := _field(new[pid], field))]
    level_changes = []
    for pid in common:
        levels_before, levels_after = _levels(old[pid]), _levels(new[pid])
        for resp in _ordered(levels_before.keys() | levels_after.keys(), before, after):
            if levels_before.get(resp) != levels_after.get(resp):
                level_changes.append(LevelChange(pid, resp, levels_before.get(resp), levels_after.get(resp)))
    owners_before, owners_after = _owners(before.people), _owners(after.people)
    ownership = [OwnershipChange(scope, resp, owners_before.get((scope, resp), ()), owners_after.get((scope, resp), ()))
                 for scope, resp in sorted(owners_before.keys() | owners_after.keys())
                 if owners_before.get((scope, resp), ()) != owners_after.get((scope, resp), ())]
    keys_before = {finding_key(f): f for f in before.findings}
    keys_after = {finding_key(f): f for f in after.findings}
    names = {p.id: p.record.name for p in before.people} | {p.id: p.record.name for p in after.people}
    return Diff(
        before_path=before.input_path, after_path=after.input_path,
        before_people=len(before.people), after_people=len(after.people),
        people_added=tuple(sorted(new.keys() - old.keys(), key=id_sort_key)),
        people_removed=tuple(sorted(old.keys() - new.keys(), key=id_sort_key)),
        person_changes=tuple(person_changes), level_changes=tuple(level_changes),
        ownership_changes=tuple(ownership),
        fixed=tuple(sorted((f for k, f in keys_before.items() if k not in keys_after), key=Finding.sort_key)),
        introduced=tuple(sorted((f for k, f in keys_after.items() if k not in keys_before), key=Finding.sort_key)),
        unchanged_findings=len(keys_before.keys() & keys_after.keys()),
        names=tuple((pid, names[pid]) for pid in sorted(names, key=id_sort_key) if names[pid]),
        warnings=reading_differences(before, after),
    )


def _at_default(analysis: Analysis) -> bool:
    return analysis.model is not None and analysis.min_confidence == analysis.model.default_min_confidence(
        analysis.semantic)


def reading_differences(before: Analysis, after: Analysis) -> tuple[str, ...]:
    """Warnings for each way the two analyses read job descriptions differently (none when read alike), and the
    model's warning that its calibration was fitted for other phrasings, for each mapper read with (once).

    Examples
    --------
    >>> from dataclasses import replace
    >>> from analyzer.records import Analysis
    >>> plain = Analysis("a.csv", 0, "0" * 64, "m", "1", [], [], [], min_confidence=0.3)
    >>> reading_differences(plain, plain)
    ()
    >>> len(reading_differences(plain, replace(plain, semantic=True, min_confidence=0.5)))
    2
    """
    cause = "so some changes may come from how the descriptions were read, not from the organisation"
    notes = []
    if (before.model_id, before.model_version) != (after.model_id, after.model_version):
        notes.append(f"the two analyses used different role models ({before.model_id} {before.model_version} and "
                     f"{after.model_id} {after.model_version}), {cause}")
    if None not in (before.min_confidence, after.min_confidence) and before.min_confidence != after.min_confidence \
            and not (_at_default(before) and _at_default(after)):  # each mapper's default: one threshold, two scales
        notes.append(f"the two analyses mapped statements at different confidence thresholds "
                     f"({before.min_confidence:g} and {after.min_confidence:g}), {cause}")
    if before.semantic != after.semantic:
        which = "the first" if before.semantic else "the second"
        notes.append(f"only {which} analysis read statements with the semantic mapper, {cause}")
    for analysis in (before, after):  # a calibration fitted for other phrasings (analyzer.modelprose), once per model
        note = analysis.model.calibration_note(analysis.semantic) if analysis.model is not None else ""
        if note and note not in notes:
            notes.append(note)
    return tuple(notes)


def _field(person: PersonAnalysis, field: str) -> str:
    if field == "role":
        return person.role.canonical or ""
    return getattr(person.record, field) or ""


def _levels(person: PersonAnalysis) -> dict[str, str]:
    return {h.responsibility: h.level.value for h in person.holdings}


def _ordered(responsibilities: set[str], *analyses: Analysis) -> list[str]:
    """Responsibilities in the model's order (alphabetical without a model)."""
    model = next((a.model for a in analyses if a.model is not None), None)
    order = {resp: index for index, resp in enumerate(model.responsibility_ids)} if model else {}
    return sorted(responsibilities, key=lambda resp: (order.get(resp, len(order)), resp))


def _owners(people: list[PersonAnalysis]) -> dict[tuple[str, str], tuple[str, ...]]:
    owners: dict[tuple[str, str], list[str]] = {}
    for person in people:
        for holding in person.holdings:
            if holding.level.value == "A":
                owners.setdefault((scope_of(person), holding.responsibility), []).append(person.id)
    return {key: tuple(sorted(ids, key=id_sort_key)) for key, ids in owners.items()}


# -- rendering -------------------------------------------------------------------------------------

def diff_dict(diff: Diff) -> dict[str, Any]:
    """The diff as plain data (what diff.json holds)."""
    from analyzer.report.json_report import finding_dict

    def findings(items: tuple[Finding, ...]) -> list[dict[str, Any]]:
        return [{**finding_dict(f), "metrics": dict(f.metrics)} for f in items]

    return {
        "diff_version": DIFF_VERSION,
        "before": {"path": diff.before_path, "people": diff.before_people},
        "after": {"path": diff.after_path, "people": diff.after_people},
        "people": {
            "added": [{"id": pid, "name": diff.name(pid)} for pid in diff.people_added],
            "removed": [{"id": pid, "name": diff.name(pid)} for pid in diff.people_removed],
            "changed": [{"person": c.person, "field": c.field, "before": c.before, "after": c.after}
                        for c in diff.person_changes],
        },
        "levels": [{"person": c.person, "responsibility": c.responsibility, "before": c.before, "after": c.after,
                    "change": c.change} for c in diff.level_changes],
        "ownership": [{"scope": c.scope, "responsibility": c.responsibility, "before": list(c.before),
                       "after": list(c.after)} for c in diff.ownership_changes],
        "findings": {"fixed": findings(diff.fixed), "introduced": findings(diff.introduced),
                     "unchanged": diff.unchanged_findings},
        "warnings": list(diff.warnings),
    }


def diff_json(diff: Diff) -> str:
    return json.dumps(diff_dict(diff), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def summary_lines(diff: Diff) -> list[str]:
    """A few plain lines for the terminal."""
    return [
        f"Compared {diff.before_path} ({diff.before_people} people) with {diff.after_path} "
        f"({diff.after_people} people).",
        f"People: {len(diff.people_added)} added, {len(diff.people_removed)} removed, "
        f"{len({c.person for c in diff.person_changes})} changed title, team, manager or role.",
        f"Responsibilities: {len(diff.level_changes)} level changes; accountability changed for "
        f"{len(diff.ownership_changes)} responsibilities in a team.",
        f"Findings: {len(diff.fixed)} fixed, {len(diff.introduced)} introduced, {diff.unchanged_findings} unchanged.",
        *(f"Warning: {warning}." for warning in diff.warnings),
    ]


def diff_markdown(diff: Diff, title: str = "What changed") -> str:
    """diff.md: the diff as Markdown (user text escaped)."""
    from analyzer.report.markdown import md_code, md_escape

    def who(pid: str) -> str:
        return f"{md_escape(diff.name(pid))} ({md_escape(pid)})"

    def people(ids: tuple[str, ...]) -> str:
        return ", ".join(who(pid) for pid in ids) or "nobody"

    lines = [f"# {md_escape(title)}", "", f"Before: {md_code(diff.before_path)}; after: "
             f"{md_code(diff.after_path)}.", "", *[f"- {md_escape(line)}" for line in summary_lines(diff)[1:]], ""]
    for heading, items in (("Findings fixed", diff.fixed), ("Findings introduced", diff.introduced)):
        lines += [f"## {heading} ({len(items)})", ""]
        lines += [f"- **{f.severity.value}** {f.kind.value} - {md_escape(f.explanation)}" for f in items] or ["None."]
        lines.append("")
    lines += ["## Accountability changes", ""]
    if diff.ownership_changes:
        lines += ["| scope | responsibility | accountable before | accountable after |", "|---|---|---|---|"]
        lines += [f"| {md_escape(c.scope)} | {md_escape(c.responsibility)} | {people(c.before)} | {people(c.after)} |"
                  for c in diff.ownership_changes]
    else:
        lines.append("None.")
    lines += ["", "## Level changes", ""]
    if diff.level_changes:
        lines += ["| person | responsibility | before | after | change |", "|---|---|---|---|---|"]
        lines += [f"| {who(c.person)} | {md_escape(c.responsibility)} | {c.before or '-'} | {c.after or '-'} | "
                  f"{c.change} |" for c in diff.level_changes]
    else:
        lines.append("None.")
    lines += ["", "## People", ""]
    lines.append(f"- Added: {people(diff.people_added)}")
    lines.append(f"- Removed: {people(diff.people_removed)}")
    lines += [f"- {who(c.person)}: {c.field} {md_escape(c.before) or '-'} -> {md_escape(c.after) or '-'}"
              for c in diff.person_changes]
    return "\n".join(lines) + "\n"


def write_diff(diff: Diff, out_dir: str | Path, stem: str = "diff", title: str = "What changed") -> list[Path]:
    """Write ``<stem>.md`` and ``<stem>.json`` into ``out_dir`` (created if needed)."""
    return write_texts(out_dir, {f"{stem}.md": diff_markdown(diff, title), f"{stem}.json": diff_json(diff)})


def write_texts(out_dir: str | Path, texts: dict[str, str]) -> list[Path]:
    """Write text files into ``out_dir``, turning OS errors into :class:`UsageError`."""
    out = Path(out_dir)
    written = []
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, text in texts.items():
            path = out / name
            path.write_text(text, encoding="utf-8", newline="\n")
            written.append(path)
    except OSError as exc:
        raise UsageError(f"cannot write into {str(out)!r}: {exc.strerror}; choose another folder with --out") from None
    return written
