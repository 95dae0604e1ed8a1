"""The organisation's structure: unique ids, the reporting tree and the scope of each person.

Managers may be given by id, by name or by e-mail; they are resolved to ids. Duplicate ids, people
who manage themselves, managers missing from the export, ambiguous manager names, reporting cycles
and several top-level people are reported as problems, never raised: the analysis goes on with what
is sound.

Scopes (the groups in which duplicated and dropped accountabilities are looked for), by ``scope``:

``team``
    the team column; people without a team are in the whole-organisation scope ``org``.
``department``
    the department column (Department, Division, Cost Center, ...).
``manager``
    the manager's team: a person who manages people is grouped with their direct reports who manage
    nobody ("team of Dee Fox (4)"); a person who manages nobody is in their manager's team. So every
    first-line manager sits with the team they lead, and a director with the people reporting to them
    directly who manage nobody.
``auto`` (default)
    per person: the team if they have one, else the department, else the manager's team, else ``org``.

Examples
--------
>>> from analyzer.ingest.rows import Row
>>> rows = [Row(1, id="1", name="Dee", title="EM"), Row(2, id="2", name="Ann", title="PO", manager_ref="Dee")]
>>> resolve_managers(rows); assign_scopes(rows, "manager", has={"manager"})
'manager (team of each first-line manager)'
>>> [(row.manager_id, row.scope) for row in rows]
[(None, 'team of Dee (1)'), ('1', 'team of Dee (1)')]
"""

from __future__ import annotations

from analyzer.ingest.problems import ProblemLog, row_where
from analyzer.ingest.rows import Row

SCOPES = ("auto", "team", "department", "manager")
ORG_SCOPE = "org"
_LIST_LIMIT = 10


def mark_duplicates(rows: list[Row]) -> None:
    """Rows whose id was used by an earlier row are skipped (the reason names the first row)."""
    first: dict[str, Row] = {}
    for row in rows:
        if row.skip is not None or not row.id:
            continue
        earlier = first.get(row.id)
        if earlier is None:
            first[row.id] = row
        elif _same_content(earlier, row):
            row.skip = ("duplicate_id", f"repeats row {earlier.number} (same id and content)")
        else:
            row.skip = ("duplicate_id", f"duplicate id (first used on row {earlier.number}); give every row "
                                        "its own id, or choose another column with --id-column")


def _same_content(a: Row, b: Row) -> bool:
    return (a.name, a.title, a.team, a.department, a.manager_ref, a.text) == \
        (b.name, b.title, b.team, b.department, b.manager_ref, b.text)


def resolve_managers(rows: list[Row]) -> None:
    """Turn each row's manager reference (id, name or e-mail) into an id; records how on the row."""
    live = [row for row in rows if row.skip is None]
    ids = {row.id for row in live}
    ids_folded: dict[str, str] = {}
    by_name: dict[str, set[str]] = {}
    by_email: dict[str, str] = {}
    for row in live:
        ids_folded.setdefault(row.id.casefold(), row.id)
        if row.name:
            by_name.setdefault(row.name.casefold(), set()).add(row.id)
        if row.email:
            by_email.setdefault(row.email.casefold(), row.id)
    for row in live:
        refs = [ref for ref in (row.manager_ref, row.manager_name_ref) if ref]
        if not refs:
            continue
        status, manager = "unknown", refs[0]
        for ref in refs:
            folded = ref.casefold()
            if ref in ids or folded in ids_folded:
                status, manager = "id", ref if ref in ids else ids_folded[folded]
            elif len(by_name.get(folded, ())) == 1:
                status, manager = "name", next(iter(by_name[folded]))
            elif len(by_name.get(folded, ())) > 1:
                status, manager = "ambiguous", ref
                continue
            elif folded in by_email:
                status, manager = "email", by_email[folded]
            else:
                continue
            break
        if status in ("id", "name", "email") and manager == row.id:
            status, manager = "self", None
        row.manager_status, row.manager_id = status, manager


def check_structure(rows: list[Row], log: ProblemLog, manager_column: str | None) -> None:
    """Report managers missing from the export, ambiguous names, self-managers, cycles and several roots."""
    live = [row for row in rows if row.skip is None]
    ids = {row.id: row for row in live}
    column = manager_column
    for row in live:
        if row.manager_status == "self":
            log.warn(row_where(row.number, column), "self_manager",
                     f"{row.id!r} is listed as their own manager; ignored")
        elif row.manager_status == "unknown":
            log.warn(row_where(row.number, column), "dangling_manager",
                     f"manager {row.manager_id!r} of {row.id!r} is not in the export")
        elif row.manager_status == "ambiguous":
            log.warn(row_where(row.number, column), "ambiguous_manager",
                     f"manager {row.manager_id!r} of {row.id!r} matches several people by name")
            row.manager_id = None
    for cycle in reporting_cycles({row.id: row.manager_id for row in live if row.manager_id in ids}):
        rows_in_cycle = sorted(ids[person].number for person in cycle)
        log.warn(f"rows {', '.join(map(str, rows_in_cycle))}", "reporting_cycle",
                 f"reporting cycle: {' -> '.join(repr(person) for person in [*cycle, cycle[0]])}")
    if column is None:
        return
    roots = [row for row in live if row.manager_id not in ids]
    if len(roots) > 1:
        shown = ", ".join(repr(row.id) for row in roots[:_LIST_LIMIT])
        more = f" and {len(roots) - _LIST_LIMIT} more" if len(roots) > _LIST_LIMIT else ""
        log.warn("", "multiple_roots", f"{len(roots)} people have no manager in the export ({shown}{more}); "
                                       "the reporting tree has several tops")


def reporting_cycles(manager_of: dict[str, str | None]) -> list[list[str]]:
    """Every cycle of a person -> manager mapping, each starting at its smallest id, sorted.

    >>> reporting_cycles({"a": "b", "b": "a", "c": "a", "d": "d", "e": None})
    [['a', 'b'], ['d']]
    """
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    cycles = []
    for start in sorted(manager_of):
        path: list[str] = []
        person: str | None = start
        while person is not None and person in manager_of and state.get(person) is None:
            state[person] = 1
            path.append(person)
            person = manager_of[person]
        if person is not None and state.get(person) == 1:
            cycle = path[path.index(person):]
            smallest = cycle.index(min(cycle))
            cycles.append(cycle[smallest:] + cycle[:smallest])
        for member in path:
            state[member] = 2
    return sorted(cycles)


def assign_scopes(rows: list[Row], scope: str, has: set[str], log: ProblemLog | None = None) -> str:
    """Set ``row.scope`` on every live row; returns the rule applied, in words.

    ``has`` names the fields the input provides (team, department, manager). A ``scope`` whose column
    is missing is a fatal problem.
    """
    log = log or ProblemLog("")
    needs = {"team": {"team"}, "department": {"department"}, "manager": {"manager", "manager_name"}}
    if scope not in SCOPES:
        log.stop("--scope", "unknown_scope", f"unknown scope {scope!r}; choose from {', '.join(SCOPES)}",
                 "cannot group people", "")
    if scope in needs and not needs[scope] & has:
        what = "team" if scope == "team" else "department" if scope == "department" else "manager"
        log.stop("--scope", "no_scope_column", f"--scope {scope} needs a {what} column and the input has none",
                 "cannot group people", f"choose another --scope, or name the column with --{what}-column")
    live = [row for row in rows if row.skip is None]
    groups = _manager_groups(live)
    for row in live:
        if scope == "team":
            row.scope = row.team or ORG_SCOPE
        elif scope == "department":
            row.scope = row.department or ORG_SCOPE
        elif scope == "manager":
            row.scope = groups.get(row.id, ORG_SCOPE)
        else:
            row.scope = row.team or row.department or groups.get(row.id) or ORG_SCOPE
    return {
        "team": "team column",
        "department": "department column",
        "manager": "manager (team of each first-line manager)",
        "auto": "team, else department, else the manager's team",
    }[scope]


def _manager_groups(live: list[Row]) -> dict[str, str]:
    by_id = {row.id: row for row in live}
    leads = {row.manager_id for row in live if row.manager_id in by_id and row.manager_id != row.id}
    groups = {}
    for row in live:
        leader = row.id if row.id in leads else row.manager_id if row.manager_id in by_id else None
        if leader is not None:
            person = by_id[leader]
            groups[row.id] = f"team of {person.name} ({person.id})" if person.name else f"team of {person.id}"
    return groups
