"""Read-only views of an :class:`Analysis` shared by the renderers (Markdown, HTML, CSV, XLSX, plots).

Nothing here formats markup; it only arranges data (counts, matrices, labels) in a stable order.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from analyzer.model import RoleModel
from analyzer.records import Analysis, Finding, FindingKind, PersonAnalysis, Severity

LEVEL_ORDER = ("A", "R", "C", "I")
# Readable reports (HTML, Markdown) list at most this many people and findings; report.json and the
# matrices always hold everything.
MAX_PEOPLE_SHOWN = 2_000
MAX_FINDINGS_SHOWN = 2_000
LEVEL_NAMES = {"A": "accountable", "R": "responsible", "C": "consulted", "I": "informed"}
# What a confidence means, by whether the model maps its mapper's onto real prose (analyzer.mapping.prose).
CONFIDENCE_ON_REAL_PROSE = ("The confidence is the share of such mappings an annotator agreed with on real job "
                            "descriptions (the model's calibration, fitted on {source}); on text close to the role "
                            "model's own phrasings the mappings are right more often than it says.")
CALIBRATION_FOR_OTHER_PHRASINGS = ("That calibration was fitted for other phrasings than this model's, so here it is "
                                   "an estimate (see the warnings).")
CONFIDENCE_ON_PHRASINGS = ("The confidence is calibrated on the role model's own phrasings; on real job descriptions "
                           "it runs high, so read it as an order rather than a probability.")


def confidence_caveat(analysis: Analysis) -> str:
    """What the confidence shown in ``analysis`` means (see :mod:`analyzer.mapping.prose`)."""
    model = analysis.model
    if model is None or model.confidence_scale(analysis.semantic).is_identity:
        return CONFIDENCE_ON_PHRASINGS
    caveat = CONFIDENCE_ON_REAL_PROSE.format(source=model.prose_calibration_source or "labelled statements of real "
                                             "postings")
    return f"{caveat} {CALIBRATION_FOR_OTHER_PHRASINGS}" if model.calibration_note(analysis.semantic) else caveat


# Which kind of problem a COO should hear about first when severities tie: work nobody does, then
# work done twice, then work done by the wrong role; titles and combined roles are context. Kinds
# not listed (added later) come after the listed ones, alphabetically.
_KIND_PRIORITY = {kind: rank for rank, kind in enumerate((
    "dropped", "unowned", "orphaned", "duplicated", "conflicting", "unstaffed", "authority_gap", "overloaded",
    "overlap", "too_many_consulted", "ambiguous_title", "title_inconsistency", "combined_role",
))}


@dataclass(frozen=True)
class Summary:
    people: int
    skipped: int
    findings: int
    by_kind: tuple[tuple[str, int], ...]
    by_severity: tuple[tuple[str, int], ...]
    top: tuple[Finding, ...]
    teams: int = 0


def summary(analysis: Analysis, top_n: int = 3) -> Summary:
    """Counts by kind and severity and the ``top_n`` most important findings.

    Examples
    --------
    >>> from analyzer.records import Analysis
    >>> info = summary(Analysis("x.csv", 0, "0" * 64, "m", "1", [], [], []))
    >>> info.findings, info.by_severity[0]
    (0, ('high', 0))
    """
    kinds = Counter(f.kind.value for f in analysis.findings)
    severities = Counter(f.severity.value for f in analysis.findings)
    return Summary(
        people=len(analysis.people),
        skipped=len(analysis.skipped_rows),
        findings=len(analysis.findings),
        by_kind=tuple((kind.value, kinds.get(kind.value, 0)) for kind in FindingKind),
        by_severity=tuple((sev.value, severities.get(sev.value, 0)) for sev in Severity),
        top=top_findings(analysis.findings, top_n),
        teams=len({person.record.team for person in analysis.people if person.record.team}),
    )


def top_findings(findings: list[Finding], count: int = 3) -> tuple[Finding, ...]:
    """The ``count`` findings to read first: most severe, then dropped > duplicated > conflicting.

    Among equally severe findings, one about a new kind of problem and new people comes before a
    second one of the same kind or about the same people, so that three findings on one person (or
    three dropped responsibilities) do not hide the rest. Info findings are never "top".
    """
    candidates = sorted((f for f in findings if f.severity is not Severity.INFO), key=_importance)
    chosen: list[Finding] = []
    for severity in Severity:
        tier = [f for f in candidates if f.severity is severity]
        while tier and len(chosen) < count:
            kinds = {f.kind for f in chosen}
            people = {pid for f in chosen for pid in f.people}
            best = min(range(len(tier)), key=lambda i: (tier[i].kind in kinds, bool(people & set(tier[i].people)), i))
            chosen.append(tier.pop(best))
    return tuple(chosen)


def _importance(finding: Finding) -> tuple:
    return (finding.severity.rank, _KIND_PRIORITY.get(finding.kind.value, len(_KIND_PRIORITY)), finding.scope != "org",
            -len(finding.people), *finding.sort_key())


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
    cells: dict[int, list[str]] = {}  # id of a holdings tuple -> its RACI letters (shared by people alike)
    for person in analysis.people:
        letters = cells.get(id(person.holdings))
        if letters is None:
            levels = {h.responsibility: h.level.value for h in person.holdings}
            letters = cells[id(person.holdings)] = [levels.get(resp, "") for resp in resp_ids]
        record = person.record
        rows.append([record.id, record.name, record.title, record.team or "", person.role.canonical or "",
                     *letters])
    return header, rows


def role_coverage(analysis: Analysis) -> tuple[list[str], list[str], list[list[float]]]:
    """Role x responsibility: share of the people in each role holding it at A or R.

    Returns (role ids, responsibility ids, values in [0, 1]). Roles with nobody are left out.
    """
    roles, resp_ids, doing, sizes = role_counts(analysis)
    values = [[count / sizes[index] for count in row] for index, row in enumerate(doing)]
    return roles, resp_ids, values


def role_counts(analysis: Analysis) -> tuple[list[str], list[str], list[list[int]], list[int]]:
    """Role x responsibility: how many people of each role hold it at A or R, and each role's size."""
    model = model_of(analysis)
    resp_ids = list(model.responsibility_ids)
    by_role: dict[str, list[PersonAnalysis]] = {}
    for person in analysis.people:
        if person.role.canonical:
            by_role.setdefault(person.role.canonical, []).append(person)
    roles = [role.id for role in model.roles if role.id in by_role]
    counts, sizes = [], []
    for role in roles:  # one pass over each member's holdings (not responsibilities x members x holdings)
        members = by_role[role]
        sizes.append(len(members))
        doing: Counter[str] = Counter()
        for person in members:
            for holding in person.distinct_holdings():
                doing[holding.responsibility] += holding.level.value in ("A", "R")
        counts.append([doing[resp] for resp in resp_ids])
    return roles, resp_ids, counts, sizes


def person_names(analysis: Analysis) -> dict[str, str]:
    """person id -> name (the id when the name is empty), built once: findings name people by id.

    The first person with an id wins, as :meth:`Analysis.person` finds them.
    """
    names: dict[str, str] = {}
    for person in analysis.people:
        names.setdefault(person.id, person.record.name or person.id)
    return names


def person_label(analysis: Analysis, person_id: str) -> str:
    person = analysis.person(person_id)
    return person.record.name or f"person {person_id}"


def role_label(analysis: Analysis, role_id: str | None, family: str | None = None) -> str:
    """Readable role name: the model's role name, else the job family's name, else a plain phrase."""
    model = model_of(analysis)
    if role_id:
        return model.role(role_id).name
    if family:
        names = {item.id: item.name for item in model.families}
        return names.get(family, family.replace("_", " "))
    return "not a product role"


def shorten(text: str, limit: int) -> str:
    """``text`` on one line, cut to ``limit`` characters with an ellipsis.

    Examples
    --------
    >>> shorten("Alexandra   Fitzgerald-Montgomery", 16)
    'Alexandra Fitzg…'
    """
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: max(limit - 1, 1)].rstrip() + "…"
