"""What-if plans: merge or split roles, move responsibilities, and see the findings before and after.

A plan is a small YAML file of steps applied in order to a copy of an analysis; the graph is rebuilt
and every finding recomputed, and the result is compared with the original (:mod:`analyzer.diff`)::

    plan_version: 1
    title: One product owner per team          # optional
    steps:
      - merge_roles: {team: Search, people: ["12", "14"], into: "12"}  # 12 takes the strongest level of each
      - move: {responsibility: backlog_management, from: "12", to: "14", level: A}
      - set_role: {person: "14", role: product_owner, title: Product Owner}

Steps (person ids are the export's ids, as text; ``level`` is A, R, C or I):

``merge_roles``: ``people`` (two or more), ``into`` (one of them); optional ``team`` (checked: everyone
    must be in it), ``title``, ``role``. ``into`` takes the strongest level of each responsibility; the
    others leave, and their reports now report to ``into``.
``split_role``: ``person``, ``responsibilities``, ``new_person`` (``id`` plus optional ``name``,
    ``title``, ``role``, ``team``, ``manager``; team and manager default to the person's); optional
    ``leave`` (level the person keeps, default none). The new position takes the listed responsibilities.
``move``: ``responsibility``, ``from``, ``to``; optional ``level`` (default: the level ``from`` had) and
    ``leave`` (level ``from`` keeps, default none).
``set_level``: ``person``, ``responsibility``, ``level`` (A, R, C, I or ``none`` to remove it).
``set_role``: ``person``, ``role`` (role id, or null for none); optional ``title``.
``add_person``: ``id``; optional ``name``, ``title``, ``team``, ``manager``, ``role``, ``holds`` (a mapping
    responsibility -> level).
``remove_person``: ``person``; optional ``reports_to`` (who their reports report to instead; default
    the removed person's manager).
``reassign``: ``person``; ``team`` and/or ``manager``.

Every problem in a plan (unknown step, missing field, unknown person, responsibility or role, a person
who does not hold what is moved) is reported at once with its place in the file and a fix. A person a
plan changes keeps their job description's evidence, but their role read from the content is dropped:
the plan changes the job, so the old text no longer speaks for it.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from analyzer.diff import Diff, diff_analyses, diff_dict, diff_markdown, write_texts
from analyzer.errors import InputError, Problem
from analyzer.model import RoleModel
from analyzer.records import Analysis, Holding, Level, PersonAnalysis, PersonRecord, RoleGuess

PLAN_VERSIONS = (1,)
_LEVELS = ("A", "R", "C", "I")
_NONE = ("none", "", None)
_STEP_KEYS = {
    "merge_roles": ({"people", "into"}, {"team", "title", "role"}),
    "split_role": ({"person", "responsibilities", "new_person"}, {"leave"}),
    "move": ({"responsibility", "from", "to"}, {"level", "leave"}),
    "set_level": ({"person", "responsibility", "level"}, set()),
    "set_role": ({"person", "role"}, {"title"}),
    "add_person": ({"id"}, {"name", "title", "team", "manager", "role", "holds"}),
    "remove_person": ({"person"}, {"reports_to"}),
    "reassign": ({"person"}, {"team", "manager"}),
}
_NEW_PERSON_KEYS = {"id", "name", "title", "role", "team", "manager"}


@dataclass(frozen=True)
class Plan:
    """A validated-as-YAML plan: its source, title and raw steps (each a one-key mapping)."""

    source: str
    title: str
    steps: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class WhatIf:
    """A plan applied to an analysis: the analysis before and after, and what changed."""

    plan: Plan
    before: Analysis
    after: Analysis
    diff: Diff
    applied: tuple[str, ...]  # one plain description per step


def load_plan(path: str | Path) -> Plan:
    """Read a plan file and check its outline (steps are checked against the organisation when applied).

    Raises
    ------
    InputError
        The file is missing or not YAML, or the outline is wrong; every problem is listed.
    """
    source = str(path)
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(source, "plan file not found", [Problem("", "not_found", "no such file", "check the path")]) \
            from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(source, "cannot read the plan", [Problem("", "unreadable", str(exc))]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise InputError(source, "the plan is not valid YAML",
                         [Problem(where, "invalid_yaml", getattr(exc, "problem", None) or "invalid YAML",
                                  "fix the YAML syntax")]) from None
    return parse_plan(data, source)


def parse_plan(data: Any, source: str = "<plan>") -> Plan:
    """Check the outline of already-parsed plan data (see :func:`load_plan`)."""
    problems: list[Problem] = []
    if not isinstance(data, dict):
        raise InputError(source, "invalid what-if plan", [Problem("", "not_a_mapping", "the plan must be a mapping",
                                                                  "start it with 'plan_version: 1' and 'steps:'")])
    if data.get("plan_version") not in PLAN_VERSIONS:
        problems.append(Problem("plan_version", "unsupported_version",
                                f"plan_version {data.get('plan_version')!r} is not supported", "set 'plan_version: 1'"))
    for key in sorted(set(data) - {"plan_version", "title", "steps"}, key=str):
        problems.append(Problem(str(key), "unknown_key", f"unknown key {key!r}", "use plan_version, title and steps"))
    steps = data.get("steps")
    if not isinstance(steps, list) or not steps:
        problems.append(Problem("steps", "missing", "'steps' must be a non-empty list",
                                "add steps such as '- move: {responsibility: ..., from: ..., to: ...}'"))
        steps = []
    for index, step in enumerate(steps):
        where = f"steps[{index}]"
        if not isinstance(step, dict) or len(step) != 1:
            problems.append(Problem(where, "not_one_action", "each step must be a mapping with exactly one action",
                                    f"write '- <action>: {{...}}' with an action from: {', '.join(_STEP_KEYS)}"))
            continue
        action, args = next(iter(step.items()))
        if action not in _STEP_KEYS:
            problems.append(Problem(where, "unknown_action", f"unknown action {action!r}", _did_you_mean(
                str(action), list(_STEP_KEYS), "actions")))
            continue
        if not isinstance(args, dict):
            problems.append(Problem(f"{where}.{action}", "not_a_mapping", "the action's fields must be a mapping",
                                    "write them as {field: value, ...}"))
            continue
        required, optional = _STEP_KEYS[action]
        for key in sorted(required - set(args)):
            problems.append(Problem(f"{where}.{action}", "missing", f"'{key}' is required", f"add '{key}: ...'"))
        for key in sorted(set(args) - required - optional, key=str):
            problems.append(Problem(f"{where}.{action}.{key}", "unknown_key", f"unknown field {key!r}",
                                    _did_you_mean(str(key), sorted(required | optional), "fields")))
    if problems:
        raise InputError(source, "invalid what-if plan", problems)
    return Plan(source, str(data.get("title") or ""), tuple(steps))


def _did_you_mean(value: str, known: list[str], what: str) -> str:
    close = difflib.get_close_matches(value, known, n=1)
    return f"did you mean {close[0]!r}?" if close else f"use one of the {what}: {', '.join(known)}"


def what_if(analysis: Analysis, plan: Plan) -> WhatIf:
    """Apply ``plan`` to a copy of ``analysis``; recompute graph and findings; compare.

    Raises
    ------
    InputError
        A step refers to an unknown person, responsibility or role, or cannot be applied; all problems
        are listed with their place in the plan.
    """
    if analysis.model is None:
        raise ValueError("the analysis carries no role model; build it with analyzer.analyze()")
    editor = _Editor(analysis.model, analysis.people)
    applied = [getattr(editor, action)(f"steps[{index}].{action}", index + 1, args)
               for index, step in enumerate(plan.steps) for action, args in step.items()]
    if editor.problems:
        raise InputError(plan.source, "the plan cannot be applied to this organisation", editor.problems)
    after = reanalyse(analysis, editor.result())
    return WhatIf(plan, analysis, after, diff_analyses(analysis, after), tuple(applied))


def reanalyse(analysis: Analysis, people: list[PersonAnalysis]) -> Analysis:
    """A copy of ``analysis`` with other people: graph rebuilt and findings recomputed."""
    from analyzer.pipeline import add_graph_and_findings

    after = dataclasses.replace(analysis, people=list(people), findings=[], graph=None)
    return add_graph_and_findings(after)


class _Editor:
    """Applies steps to a working copy of the people, collecting problems instead of stopping."""

    def __init__(self, model: RoleModel, people: list[PersonAnalysis]):
        self.model = model
        self.people: dict[str, PersonAnalysis] = {p.id: p for p in people}
        self.problems: list[Problem] = []
        self.touched: set[str] = set()

    def result(self) -> list[PersonAnalysis]:
        """The people after the plan; a changed job's role read from its old text is dropped."""
        return [dataclasses.replace(p, role=dataclasses.replace(p.role, from_content=None, content_scores=(),
                                                                content_family=None, content_family_evidence=()))
                if p.id in self.touched else p for p in self.people.values()]

    # -- checks ------------------------------------------------------------------------------------

    def _problem(self, where: str, code: str, message: str, fix: str = "") -> None:
        self.problems.append(Problem(where, code, message, fix))
    def _person(self, where: str, value: Any) -> str | None:
        pid = _text(value)
        if pid in self.people:
            return pid
        known = sorted(self.people)
        self._problem(where, "unknown_person", f"no person with id {pid!r} (at this step of the plan)",
                      _did_you_mean(pid, known, "ids") if len(known) <= 12 or difflib.get_close_matches(pid, known)
                      else "use an id from the input's id column, quoted, e.g. \"12\"")
        return None

    def _new_id(self, where: str, value: Any) -> str | None:
        pid = _text(value)
        if not pid or pid in self.people:
            self._problem(where, "id_taken" if pid else "missing", f"id {pid!r} is {'taken' if pid else 'empty'}",
                          "choose an id no other person has")
            return None
        return pid

    def _responsibility(self, where: str, value: Any) -> str | None:
        resp = _text(value)
        if resp in self.model.responsibility_ids:
            return resp
        self._problem(where, "unknown_responsibility", f"unknown responsibility {resp!r}",
                      _did_you_mean(resp, list(self.model.responsibility_ids), "responsibility ids"))
        return None

    def _role(self, where: str, value: Any) -> tuple[bool, str | None]:
        if value in _NONE:
            return True, None
        role = _text(value)
        if role in self.model.role_ids:
            return True, role
        self._problem(where, "unknown_role", f"unknown role {role!r}",
                      _did_you_mean(role, list(self.model.role_ids), "role ids"))
        return False, None

    def _level(self, where: str, value: Any, allow_none: bool = False) -> tuple[bool, str | None]:
        if allow_none and (value in _NONE or str(value).lower() == "none"):
            return True, None
        letter = _text(value).upper()
        if letter in _LEVELS:
            return True, letter
        self._problem(where, "bad_level", f"level {value!r} is not allowed",
                      f"use one of {', '.join(_LEVELS)}{' or none' if allow_none else ''}")
        return False, None

    # -- editing -----------------------------------------------------------------------------------

    def _set(self, pid: str, resp: str, level: str | None, note: str, evidence: tuple[str, ...] = ()) -> None:
        person = self.people[pid]
        kept = [h for h in person.holdings if h.responsibility != resp]
        if level is not None:  # set by the scenario, not read from a description: as sure as can be (score 1.0)
            kept.append(Holding(resp, Level(level), 1.0, (*evidence, note)))
        order = {r: i for i, r in enumerate(self.model.responsibility_ids)}
        kept.sort(key=lambda h: order.get(h.responsibility, len(order)))
        self.people[pid] = dataclasses.replace(person, holdings=tuple(kept))
        self.touched.add(pid)

    def _record(self, pid: str, **changes: Any) -> None:
        person = self.people[pid]
        self.people[pid] = dataclasses.replace(person, record=dataclasses.replace(person.record, **changes))
        self.touched.add(pid)

    def _set_role(self, pid: str, role: str | None) -> None:
        person = self.people[pid]
        guess = dataclasses.replace(person.role, canonical=role, from_title=role, confidence=1.0 if role else 0.0,
                                    title_candidates=())
        self.people[pid] = dataclasses.replace(person, role=guess)
        self.touched.add(pid)

    def _label(self, pid: str) -> str:
        name = self.people[pid].record.name
        return f"{name} ({pid})" if name else pid

    def merge_roles(self, where: str, number: int, args: dict) -> str:
        raw = args.get("people")
        if not isinstance(raw, list) or len(raw) < 2:
            self._problem(f"{where}.people", "too_few_people", "'people' must list two or more person ids",
                          'write people: ["12", "14"]')
            return "merge (invalid)"
        people = [pid for pos, value in enumerate(raw) if (pid := self._person(f"{where}.people[{pos}]", value))]
        into = self._person(f"{where}.into", args.get("into"))
        if into and into not in people and len(people) == len(raw):
            self._problem(f"{where}.into", "not_merged", f"{into!r} is not one of the people merged",
                          "set 'into' to one of 'people'")
        team = args.get("team")
        strangers = [pid for pid in people if team is not None and (self.people[pid].record.team or "") != str(team)]
        for pid in strangers:
            self._problem(f"{where}.team", "wrong_team", f"person {pid!r} is in team "
                          f"{self.people[pid].record.team!r}, not {str(team)!r}", "fix 'team' or 'people'")
        ok_role, role = self._role(f"{where}.role", args["role"]) if "role" in args else (True, None)
        if len(people) != len(raw) or not into or into not in people or not ok_role or strangers:
            return "merge (invalid)"
        labels = ", ".join(self._label(pid) for pid in people)
        note = f"What-if step {number}: merged {labels} into {self._label(into)}."
        best: dict[str, Holding] = {}
        for pid in people:
            for h in self.people[pid].holdings:
                if h.responsibility not in best or h.level.rank > best[h.responsibility].level.rank:
                    best[h.responsibility] = h
        for resp, h in best.items():
            self._set(into, resp, h.level.value, note, h.evidence[:2])
        for pid in people:
            if pid != into:
                self._leave(pid, into)
        if "title" in args:
            self._record(into, title=_text(args["title"]))
        if "role" in args:
            self._set_role(into, role)
        return f"Merge {labels} into {self._label(into)}" + (f" in team {team}" if team is not None else "")

    def _leave(self, pid: str, successor: str | None) -> None:
        for other in list(self.people):
            if self.people[other].record.manager_id == pid:
                self._record(other, manager_id=successor)
        del self.people[pid]
        self.touched.discard(pid)

    def split_role(self, where: str, number: int, args: dict) -> str:
        pid = self._person(f"{where}.person", args.get("person"))
        raw = args.get("responsibilities")
        if not isinstance(raw, list) or not raw:
            self._problem(f"{where}.responsibilities", "missing", "'responsibilities' must be a non-empty list",
                          "list the responsibility ids the new position takes")
            raw = []
        resps = [r for pos, value in enumerate(raw) if (r := self._responsibility(f"{where}.responsibilities[{pos}]",
                                                                                   value))]
        spec = args.get("new_person")
        if not isinstance(spec, dict):
            self._problem(f"{where}.new_person", "not_a_mapping", "'new_person' must be a mapping with an 'id'",
                          'write new_person: {id: "99", title: Product Owner}')
            return "split (invalid)"
        for key in sorted(set(spec) - _NEW_PERSON_KEYS, key=str):
            self._problem(f"{where}.new_person.{key}", "unknown_key", f"unknown field {key!r}",
                          _did_you_mean(str(key), sorted(_NEW_PERSON_KEYS), "fields"))
        new_id = self._new_id(f"{where}.new_person.id", spec.get("id"))
        ok_leave, leave = self._level(f"{where}.leave", args.get("leave"), allow_none=True)
        if pid:
            for resp in resps:
                if self.people[pid].holding(resp) is None:
                    self._problem(f"{where}.responsibilities", "not_held", f"person {pid!r} does not hold {resp!r}",
                                  "split only responsibilities the person holds")
        if not (pid and new_id and ok_leave and len(resps) == len(raw)) or any(
                self.people[pid].holding(r) is None for r in resps):
            return "split (invalid)"
        source = self.people[pid].record
        if not self._add(where + ".new_person", new_id, spec, team=source.team, manager=source.manager_id,
                         row=source.row):
            return "split (invalid)"
        note = f"What-if step {number}: split from {self._label(pid)}."
        for resp in resps:
            held = self.people[pid].holding(resp)
            self._set(new_id, resp, held.level.value, note, held.evidence[:2])
            self._set(pid, resp, leave, f"What-if step {number}: handed to {self._label(new_id)}.", held.evidence[:2])
        return f"Split {', '.join(resps)} from {self._label(pid)} into a new position {self._label(new_id)}"

    def move(self, where: str, number: int, args: dict) -> str:
        resp = self._responsibility(f"{where}.responsibility", args.get("responsibility"))
        source = self._person(f"{where}.from", args.get("from"))
        target = self._person(f"{where}.to", args.get("to"))
        ok_level, level = self._level(f"{where}.level", args["level"]) if "level" in args else (True, None)
        ok_leave, leave = self._level(f"{where}.leave", args.get("leave"), allow_none=True)
        held = self.people[source].holding(resp) if source and resp else None
        if source and resp and held is None:
            self._problem(f"{where}.from", "not_held", f"person {source!r} does not hold {resp!r} at this step",
                          "move a responsibility the person holds, or use set_level")
        if not (resp and source and target and held and ok_level and ok_leave):
            return "move (invalid)"
        level = level or held.level.value
        self._set(target, resp, level, f"What-if step {number}: moved from {self._label(source)}.", held.evidence[:2])
        self._set(source, resp, leave, f"What-if step {number}: moved to {self._label(target)}.", held.evidence[:2])
        return f"Move {resp} from {self._label(source)} to {self._label(target)} at {level}"

    def set_level(self, where: str, number: int, args: dict) -> str:
        pid = self._person(f"{where}.person", args.get("person"))
        resp = self._responsibility(f"{where}.responsibility", args.get("responsibility"))
        ok, level = self._level(f"{where}.level", args.get("level"), allow_none=True)
        if not (pid and resp and ok):
            return "set_level (invalid)"
        self._set(pid, resp, level, f"What-if step {number}: level set to {level or 'none'}.")
        return f"Set {self._label(pid)} on {resp} to {level or 'none'}"

    def set_role(self, where: str, number: int, args: dict) -> str:
        pid = self._person(f"{where}.person", args.get("person"))
        ok, role = self._role(f"{where}.role", args.get("role"))
        if not (pid and ok):
            return "set_role (invalid)"
        self._set_role(pid, role)
        if "title" in args:
            self._record(pid, title=_text(args["title"]))
        return f"Make {self._label(pid)} {role or 'no product role'}"

    def add_person(self, where: str, number: int, args: dict) -> str:
        pid = self._new_id(f"{where}.id", args.get("id"))
        holds = args.get("holds") or {}
        if not isinstance(holds, dict):
            self._problem(f"{where}.holds", "not_a_mapping", "'holds' must map responsibility ids to levels",
                          "write holds: {backlog_management: A}")
            holds = {}
        levels = {}
        for key, value in holds.items():
            resp = self._responsibility(f"{where}.holds.{key}", key)
            ok, level = self._level(f"{where}.holds.{key}", value)
            if resp and ok:
                levels[resp] = level
        if not pid or len(levels) != len(holds) or not self._add(where, pid, args):
            return "add_person (invalid)"
        for resp, level in levels.items():
            self._set(pid, resp, level, f"What-if step {number}: given to the new position.")
        return f"Add {self._label(pid)}"

    def _add(self, where: str, pid: str, spec: dict, team: str | None = None, manager: str | None = None,
             row: int = 0) -> bool:
        ok, role = self._role(f"{where}.role", spec.get("role"))
        if spec.get("manager") not in _NONE:
            manager = self._person(f"{where}.manager", spec.get("manager"))
            ok = ok and manager is not None
        if not ok:
            return False
        title = _text(spec.get("title")) or (self.model.role(role).name if role else "")
        record = PersonRecord(row=row, id=pid, name=_text(spec.get("name")), title=title,
                              team=_text(spec.get("team")) or team, manager_id=manager, text="",
                              source="what-if plan")
        guess = RoleGuess(canonical=role, confidence=1.0 if role else 0.0, from_title=role, from_content=None)
        self.people[pid] = PersonAnalysis(record=record, role=guess, holdings=())
        self.touched.add(pid)
        return True

    def _optional_person(self, where: str, args: dict, key: str) -> tuple[bool, str | None]:
        """Resolve an optional person reference: (False, None) when it is given but unknown."""
        if args.get(key) in _NONE:
            return True, None
        pid = self._person(f"{where}.{key}", args.get(key))
        return pid is not None, pid

    def remove_person(self, where: str, number: int, args: dict) -> str:
        pid = self._person(f"{where}.person", args.get("person"))
        known, successor = self._optional_person(where, args, "reports_to")
        if not known or not pid:
            return "remove_person (invalid)"
        label = self._label(pid)
        self._leave(pid, successor or self.people[pid].record.manager_id)
        return f"Remove {label}"

    def reassign(self, where: str, number: int, args: dict) -> str:
        pid = self._person(f"{where}.person", args.get("person"))
        if "team" not in args and "manager" not in args:
            self._problem(where, "missing", "give 'team' and/or 'manager'", "add team: ... or manager: ...")
            return "reassign (invalid)"
        known, manager = self._optional_person(where, args, "manager")
        if not known or not pid:
            return "reassign (invalid)"
        changes: dict[str, Any] = {}
        if "team" in args:
            changes["team"] = _text(args["team"]) or None
        if "manager" in args:
            changes["manager_id"] = manager
        self._record(pid, **changes)
        return f"Reassign {self._label(pid)}"


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


# -- output ----------------------------------------------------------------------------------------

def whatif_dict(result: WhatIf) -> dict[str, Any]:
    """whatif.json: the plan, the steps as applied, and the diff between before and after."""
    return {
        "plan": {"source": result.plan.source, "title": result.plan.title, "steps": list(result.plan.steps)},
        "applied": list(result.applied),
        "diff": diff_dict(result.diff),
    }


def whatif_markdown(result: WhatIf) -> str:
    from analyzer.report.markdown import md_escape

    title = f"What if: {result.plan.title}" if result.plan.title else "What if"
    steps = ["## Plan", "", *[f"{n}. {md_escape(text)}" for n, text in enumerate(result.applied, start=1)], ""]
    body = diff_markdown(result.diff, title).splitlines()
    return "\n".join([body[0], "", *steps, *body[2:]]) + "\n"


def write_whatif(result: WhatIf, out_dir: str | Path) -> list[Path]:
    """Write whatif.md and whatif.json into ``out_dir``."""
    text = json.dumps(whatif_dict(result), indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n"
    return write_texts(out_dir, {"whatif.md": whatif_markdown(result), "whatif.json": text})
