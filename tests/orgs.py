"""Tiny literal organisations for the graph, findings, overlap, diff and what-if tests.

People are built as :class:`PersonAnalysis` records directly, so every RACI level is exactly what the
test says (no NLP involved). ``holds`` maps a responsibility to a level letter, or to
``(letter, evidence sentence)``.
"""

from __future__ import annotations

from analyzer.findings import find_all
from analyzer.graph import build_graph
from analyzer.model import RoleModel
from analyzer.records import Analysis, Holding, Level, PersonAnalysis, PersonRecord, RoleGuess, SkippedRow

ENGINEERING = "software_engineering"


def person(pid: str, *, name: str | None = None, title: str = "", team: str | None = "Search",
           manager: str | None = None, role: str | None = None, family: str | None = None,
           holds: dict | None = None, title_only: bool = False, row: int | None = None) -> PersonAnalysis:
    """A person with exactly the given holdings (evidence defaults to '<name>: <responsibility>.')."""
    name = f"Person {pid}" if name is None else name
    holdings = []
    for resp, spec in (holds or {}).items():
        level, text = spec if isinstance(spec, tuple) else (spec, f"{name or pid}: {resp.replace('_', ' ')}.")
        holdings.append(Holding(resp, Level(level), 0.9, (text,)))
    record = PersonRecord(row=row or (int(pid) if pid.isdigit() else 1), id=pid, name=name, title=title, team=team,
                          manager_id=manager, text="" if title_only else f"Job description of {pid}.")
    guess = RoleGuess(canonical=role, confidence=1.0 if role else 0.0, from_title=role, from_content=None,
                      family=family)
    return PersonAnalysis(record=record, role=guess, holdings=tuple(holdings), title_only=title_only)


def engineer(pid: str, team: str = "Search", manager: str | None = None, **kwargs) -> PersonAnalysis:
    return person(pid, title="Software Engineer", team=team, manager=manager, family=ENGINEERING, **kwargs)


def org(model: RoleModel, *people: PersonAnalysis, skipped: tuple[SkippedRow, ...] = (),
        path: str = "org.csv") -> Analysis:
    """An analysed organisation: graph built and findings computed, like the pipeline does."""
    analysis = Analysis(
        input_path=path, input_rows=len(people) + len(skipped), input_sha256="0" * 64, model_id=model.id,
        model_version=model.version, people=list(people), skipped_rows=list(skipped), findings=[],
        columns={"id": "id", "name": "name", "title": "title", "team": "team", "manager": "manager"}, model=model,
    )
    analysis.graph = build_graph(analysis, model)
    analysis.findings = find_all(analysis.graph, model, analysis.people, analysis.skipped_rows)
    return analysis


def of_kind(analysis: Analysis, kind: str, rule: str | None = None) -> list:
    """The analysis's findings of one kind (and rule)."""
    return [f for f in analysis.findings if f.kind.value == kind and (rule is None or f.rule == rule)]
