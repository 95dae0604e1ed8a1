"""Read-only views of an :class:`Analysis` shared by the renderers (Markdown, HTML, CSV, plots).

Nothing here formats markup; it only arranges data (counts, matrices, labels) in a stable order.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from analyzer.model import RoleModel
from analyzer.records import Analysis, Finding, FindingKind, Severity

LEVEL_ORDER = ("A", "R", "C", "I")


@dataclass(frozen=True)
class Summary:
    people: int
    skipped: int
    findings: int
    by_kind: tuple[tuple[str, int], ...]
    by_severity: tuple[tuple[str, int], ...]
    top: tuple[Finding, ...]


def summary(analysis: Analysis, top_n: int = 3) -> Summary:
    kinds = Counter(f.kind.value for f in analysis.findings)
    severities = Counter(f.severity.value for f in analysis.findings)
    return Summary(
        people=len(analysis.people),
        skipped=len(analysis.skipped_rows),
        findings=len(analysis.findings),
        by_kind=tuple((kind.value, kinds.get(kind.value, 0)) for kind in FindingKind),
        by_severity=tuple((sev.value, severities.get(sev.value, 0)) for sev in Severity),
        top=tuple(f for f in analysis.findings if f.severity is not Severity.INFO)[:top_n],
    )


def model_of(analysis: Analysis) -> RoleModel:
    if analysis.model is None:
        raise ValueError("the analysis carries no role model; build it with analyzer.analyze()")
    return analysis.model


def responsibility_matrix(analysis: Analysis) -> tuple[list[str], list[list[str]]]:
    """People x responsibilities with the RACI letter (""=none): (header, rows)."""
    model = model_of(analysis)
    resp_ids = list(model.responsibility_ids)
    header = ["id", "name", "title", "team", "role", *resp_ids]
    rows = []
    for person in analysis.people:
        levels = {h.responsibility: h.level.value for h in person.holdings}
        record = person.record
        rows.append([record.id, record.name, record.title, record.team or "", person.role.canonical or "",
                     *(levels.get(resp, "") for resp in resp_ids)])
    return header, rows


def role_coverage(analysis: Analysis) -> tuple[list[str], list[str], list[list[float]]]:
    """Role x responsibility: share of the people in each role holding it at A or R.

    Returns (role ids, responsibility ids, values in [0, 1]). Roles with nobody are left out.
    """
    model = model_of(analysis)
    resp_ids = list(model.responsibility_ids)
    roles = [role.id for role in model.roles if any(p.role.canonical == role.id for p in analysis.people)]
    values = []
    for role in roles:
        members = [p for p in analysis.people if p.role.canonical == role]
        row = []
        for resp in resp_ids:
            holding = sum(1 for p in members if (h := p.holding(resp)) and h.level.value in ("A", "R"))
            row.append(holding / len(members))
        values.append(row)
    return roles, resp_ids, values


def person_label(analysis: Analysis, person_id: str) -> str:
    person = analysis.person(person_id)
    return person.record.name or f"person {person_id}"
