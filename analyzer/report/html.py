"""report.html: one self-contained file (inline CSS, JS and images), rendered with Jinja autoescape.

Safety: every piece of user text goes through Jinja's autoescape; anchors are built from positions,
never from user text; and a Content-Security-Policy allows only the report's own inline script (by
its hash), inline styles and ``data:`` images, so nothing is fetched and injected markup could not
run even if it slipped through.
"""

from __future__ import annotations

import base64
import hashlib
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources

from jinja2 import Environment, PackageLoader, select_autoescape

from analyzer import __version__
from analyzer.graph import ORG_SCOPE, scope_of
from analyzer.records import Analysis, Finding, PersonAnalysis
from analyzer.report.figures import Figure
from analyzer.report.plotting import LEVEL_COLOURS, LEVEL_TEXT, SEVERITY_COLOURS
from analyzer.report.views import LEVEL_NAMES, LEVEL_ORDER, model_of, role_label, summary

KIND_HELP = {
    "duplicated": "several people accountable for the same work",
    "dropped": "expected work that nobody does",
    "conflicting": "work held by the wrong role",
    "ambiguous_title": "title and job description disagree",
    "combined_role": "one person covering two roles",
    "unowned": "work done but nobody accountable",
    "unstaffed": "someone approves but nobody does the work",
    "orphaned": "work held only by a vacant or departed position",
    "overloaded": "one person accountable for too much",
    "authority_gap": "accountable without authority over the doers",
    "too_many_consulted": "too many people consulted",
    "title_inconsistency": "same title, different jobs",
    "overlap": "two jobs overlap unusually much",
}


@dataclass(frozen=True)
class PersonView:
    person: PersonAnalysis
    anchor: str
    role: str
    scope: str
    counts: dict[str, int]
    findings: tuple[tuple[int, Finding], ...]
    manager: PersonAnalysis | None


@dataclass(frozen=True)
class TeamView:
    scope: str
    anchor: str
    people: tuple[PersonView, ...]
    figure: Figure | None
    findings: tuple[tuple[int, Finding], ...]


def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("analyzer", "report/templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _script() -> str:
    return (resources.files("analyzer") / "report" / "templates" / "report.js").read_text(encoding="utf-8")


def content_security_policy(script: str) -> str:
    """The CSP for the report: its own script (by hash), inline styles, data: images, nothing else."""
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return (f"default-src 'none'; script-src 'sha256-{digest}'; style-src 'unsafe-inline'; img-src data:; "
            "base-uri 'none'; form-action 'none'")


def to_html(analysis: Analysis, figures: list[Figure] | None = None) -> str:
    """The HTML report; ``figures`` (from :func:`analyzer.report.figures.build_figures`) are embedded inline."""
    model = model_of(analysis)
    figures = list(figures or [])
    numbered = list(enumerate(analysis.findings, start=1))
    by_person: dict[str, list[tuple[int, Finding]]] = defaultdict(list)
    by_scope: dict[str, list[tuple[int, Finding]]] = defaultdict(list)
    by_resp: dict[str, list[tuple[int, Finding]]] = defaultdict(list)
    for number, finding in numbered:
        for pid in finding.people:
            by_person[pid].append((number, finding))
        by_scope[finding.scope].append((number, finding))
        if finding.responsibility:
            by_resp[finding.responsibility].append((number, finding))
    # Anchors by position: person ids and team names are user text and may not be valid HTML ids.
    anchors = {person.id: f"person-{index}" for index, person in enumerate(analysis.people, start=1)}
    people_by_id = {person.id: person for person in analysis.people}
    views = {
        person.id: PersonView(
            person=person, anchor=anchors[person.id],
            role=role_label(analysis, person.role.canonical, person.role.family), scope=scope_of(person),
            counts={level: sum(1 for h in person.holdings if h.level.value == level) for level in LEVEL_ORDER},
            findings=tuple(by_person.get(person.id, ())),
            manager=people_by_id.get(person.record.manager_id or ""),
        )
        for person in analysis.people
    }
    team_figures = {figure.scope: figure for figure in figures if figure.group == "team"}
    scopes = sorted({view.scope for view in views.values()}, key=lambda scope: (scope == ORG_SCOPE, scope))
    teams = [TeamView(scope=scope, anchor=f"team-{index}",
                      people=tuple(view for view in views.values() if view.scope == scope),
                      figure=team_figures.get(scope), findings=tuple(by_scope.get(scope, ())))
             for index, scope in enumerate(scopes, start=1)]
    holders = {resp.id: {level: [views[p.id] for p in analysis.people if (h := p.holding(resp.id))
                                 and h.level.value == level] for level in LEVEL_ORDER}
               for resp in model.responsibilities}
    script = _script()
    template = _environment().get_template("report.html.j2")
    return template.render(
        analysis=analysis, model=model, summary=summary(analysis), version=__version__,
        findings=numbered, people=views, teams=teams, team_anchor={team.scope: team.anchor for team in teams},
        heatmaps=[(figure, _data_uri(figure)) for figure in figures if figure.group == "heatmap"],
        team_images={figure.scope: _data_uri(figure) for figure in figures if figure.group == "team"},
        hidden_team_graphs=len(teams) - len(team_figures) - (1 if ORG_SCOPE in scopes else 0),
        responsibilities={resp.id: resp for resp in model.responsibilities}, holders=holders,
        findings_by_resp=by_resp, roles={role.id: role for role in model.roles},
        kind_help=KIND_HELP, level_names=LEVEL_NAMES, level_colours=LEVEL_COLOURS, level_text=LEVEL_TEXT,
        severity_colours=SEVERITY_COLOURS, script=script, csp=content_security_policy(script),
        input_name=analysis.input_path.replace("\\", "/").rsplit("/", 1)[-1],
    )


def _data_uri(figure: Figure) -> str:
    return "data:image/png;base64," + base64.b64encode(figure.png).decode("ascii")
