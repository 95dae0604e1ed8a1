"""report.html: one self-contained file (inline CSS, JS and images), rendered with Jinja autoescape.

Safety: every piece of user text goes through Jinja's autoescape; anchors are built from positions,
never from user text; and a Content-Security-Policy allows only the report's own inline script (by
its hash), inline styles and ``data:`` images, so nothing is fetched and injected markup could not
run even if it slipped through.
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from analyzer import __version__
from analyzer.graph import ORG_SCOPE, scope_of
from analyzer.records import Analysis, Finding, PersonAnalysis
from analyzer.report.figures import Figure
from analyzer.report.plotting import LEVEL_COLOURS, LEVEL_TEXT, SEVERITY_COLOURS
from analyzer.report.views import (
    LEVEL_NAMES,
    LEVEL_ORDER,
    MAX_FINDINGS_SHOWN,
    MAX_PEOPLE_SHOWN,
    confidence_caveat,
    model_of,
    role_label,
    summary,
)

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


# A page beyond MAX_PEOPLE_SHOWN / MAX_FINDINGS_SHOWN (views.py) is too heavy for a browser (100,000 people
# make a 400 MB page): see _selection.
MAX_NAMES_PER_CELL = 40


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
    """The HTML report; ``figures`` (from :func:`analyzer.report.figures.build_figures`) are embedded inline.

    A large organisation (more than :data:`MAX_PEOPLE_SHOWN` people or :data:`MAX_FINDINGS_SHOWN` findings)
    gets a page a browser can open: the teams with the most findings, their people and findings (most
    severe first, numbered as everywhere else), and a note saying so; report.md, report.json and the
    matrix keep everything.
    """
    model = model_of(analysis)
    figures = list(figures or [])
    info = summary(analysis)
    numbered, shown_ids, notice = _selection(analysis, list(enumerate(analysis.findings, start=1)), info.top)
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
    people_by_id = {person.id: person for person in analysis.people if shown_ids is None or person.id in shown_ids}
    views = {
        person.id: PersonView(
            person=person, anchor=anchors[person.id],
            role=role_label(analysis, person.role.canonical, person.role.job_family), scope=scope_of(person),
            counts={level: sum(1 for h in person.holdings if h.level.value == level) for level in LEVEL_ORDER},
            findings=tuple(by_person.get(person.id, ())),
            manager=people_by_id.get(person.record.manager_id or ""),
        )
        for person in people_by_id.values()
    }
    team_figures = {figure.scope: figure for figure in figures if figure.group == "team"}
    scopes = sorted({view.scope for view in views.values()}, key=lambda scope: (scope == ORG_SCOPE, scope))
    members: dict[str, list[PersonView]] = defaultdict(list)  # one pass: scopes x people is 10^9 at 100k people
    for view in views.values():
        members[view.scope].append(view)
    teams = [TeamView(scope=scope, anchor=f"team-{index}", people=tuple(members[scope]),
                      figure=team_figures.get(scope), findings=tuple(by_scope.get(scope, ())))
             for index, scope in enumerate(scopes, start=1)]
    holders: dict[str, dict[str, list[PersonView]]] = {resp.id: {level: [] for level in LEVEL_ORDER}
                                                       for resp in model.responsibilities}
    holder_more = {resp.id: dict.fromkeys(LEVEL_ORDER, 0) for resp in model.responsibilities}
    names_per_cell = MAX_NAMES_PER_CELL if shown_ids is not None else len(analysis.people)
    sharing: dict[int, list[PersonAnalysis]] = {}  # people who share a holdings tuple hold the same: count once
    for person in analysis.people:
        sharing.setdefault(id(person.holdings), []).append(person)
        if person.id in views:  # the first names_per_cell shown holders are named, in input order
            for h in person.distinct_holdings():
                if h.responsibility in holders:
                    listed = holders[h.responsibility][h.level.value]
                    if len(listed) < names_per_cell:
                        listed.append(views[person.id])
    for people in sharing.values():  # everyone else holding it: "and N more"
        for h in people[0].distinct_holdings():
            if h.responsibility in holder_more:
                holder_more[h.responsibility][h.level.value] += len(people)
    for resp, levels in holders.items():
        for level, listed in levels.items():
            holder_more[resp][level] -= len(listed)
    script = _script()
    environment = _environment()
    responsibilities = {resp.id: resp for resp in model.responsibilities}
    template = environment.get_template("report.html.j2")
    return template.render(
        holdings_table=_holdings_tables(environment, responsibilities),
        analysis=analysis, model=model, summary=info, version=__version__, notice=notice, holder_more=holder_more,
        team_count=len({scope_of(person) for person in analysis.people}),
        findings=numbered, people=views, teams=teams, team_anchor={team.scope: team.anchor for team in teams},
        heatmaps=[(figure, _data_uri(figure)) for figure in figures if figure.group == "heatmap"],
        team_images={figure.scope: _data_uri(figure) for figure in figures if figure.group == "team"},
        hidden_team_graphs=len(teams) - len(team_figures) - (1 if ORG_SCOPE in scopes else 0),
        responsibilities=responsibilities, holders=holders,
        findings_by_resp=by_resp, roles={role.id: role for role in model.roles},
        families={family.id: family for family in model.families},
        kind_help=KIND_HELP, confidence_caveat=confidence_caveat(analysis), level_names=LEVEL_NAMES,
        level_colours=LEVEL_COLOURS, level_text=LEVEL_TEXT,
        severity_colours=SEVERITY_COLOURS, script=script, csp=content_security_policy(script),
        input_name=analysis.input_path.replace("\\", "/").rsplit("/", 1)[-1],
    )


def _holdings_tables(environment: Environment, responsibilities: dict) -> Callable[[tuple], Markup]:
    """A person's table of responsibilities (templates/holdings.html.j2), rendered once per distinct holdings.

    People who share a description share their holdings, and their tables are the same markup: most of
    the page's rendering, done a few hundred times instead of once per person.
    """
    template = environment.get_template("holdings.html.j2")
    by_id: dict[int, Markup] = {}
    by_value: dict[tuple, Markup] = {}

    def table(holdings: tuple) -> Markup:
        markup = by_id.get(id(holdings))
        if markup is None:
            markup = by_value.get(holdings)
            if markup is None:
                markup = by_value[holdings] = Markup(template.render(
                    holdings=holdings, responsibilities=responsibilities, level_names=LEVEL_NAMES))
            by_id[id(holdings)] = markup
        return markup

    return table


def _selection(analysis: Analysis, numbered: list[tuple[int, Finding]], top: tuple[Finding, ...]
               ) -> tuple[list[tuple[int, Finding]], set[str] | None, str]:
    """(findings shown, ids of the people shown or None for everyone, a note saying what was left out)."""
    if len(analysis.people) <= MAX_PEOPLE_SHOWN and len(numbered) <= MAX_FINDINGS_SHOWN:
        return numbered, None, ""
    sizes = Counter(scope_of(person) for person in analysis.people)
    found = Counter(finding.scope for _, finding in numbered)
    chosen: set[str] = set()
    room = MAX_PEOPLE_SHOWN
    for scope in sorted(sizes, key=lambda scope: (-found[scope], scope)):  # the teams with most findings first
        if sizes[scope] <= room or not chosen:
            chosen.add(scope)
            room -= sizes[scope]
    shown_ids = {person.id for person in analysis.people if scope_of(person) in chosen}
    if len(shown_ids) > MAX_PEOPLE_SHOWN:  # one huge team (an export without teams or managers)
        shown_ids = set([person.id for person in analysis.people if person.id in shown_ids][:MAX_PEOPLE_SHOWN])
    kept = [(n, f) for n, f in numbered if f.scope in chosen or f.scope not in sizes][:MAX_FINDINGS_SHOWN]
    first = {id(f) for f in top}
    extra = [(n, f) for n, f in numbered if id(f) in first and (n, f) not in kept]  # "read these first" links
    shown = sorted(kept + extra, key=lambda item: item[0])
    notice = (f"This organisation is large ({len(analysis.people):,} people, {len(numbered):,} findings), so this "
              f"page shows the {len(chosen):,} teams with the most findings ({len(shown_ids):,} people) and "
              f"{len(shown):,} findings, most severe first; finding numbers are the same in every report. "
              "report.md and report.json list every person and finding, responsibility_matrix.xlsx every "
              f"person's responsibilities. The Responsibilities table names at most {MAX_NAMES_PER_CELL} "
              "people per cell.")
    return shown, shown_ids, notice


def _data_uri(figure: Figure) -> str:
    return "data:image/png;base64," + base64.b64encode(figure.png).decode("ascii")
