"""Coverage: expected work that nobody does (dropped) and work only an empty seat holds (orphaned).

Rules
-----
``expected_in_delivery_team``, ``expected_in_management_chain``, ``expected_in_organisation`` (kind ``dropped``)
    The model's ``expectations``: responsibilities every delivery team (a team with engineers) needs,
    ones someone in the team or up each engineer's management chain must hold, and ones the
    organisation needs somewhere. Nobody at A or R is a finding; severity is the responsibility's
    impact, at least medium (missing work is never cosmetic).
``vacant_holder`` (kind ``orphaned``)
    In a scope, the only accountable people (or, with nobody accountable, the only people doing the
    work) for some responsibilities are vacant or departed positions (``analyzer/data/positions.yaml``).
    One finding per scope and set of empty seats, listing the responsibilities; severity is the highest
    impact among them, at least medium.
``skipped_manager`` (kind ``orphaned``)
    Engineers whose management chain ends at a manager id whose input row was skipped: the management
    expectations (hiring, performance reviews) cannot be checked for them, so this replaces the
    ``dropped`` finding for them. Severity medium.
``skipped_holder`` (kind ``orphaned``)
    A skipped row whose title is known (duplicate ids keep theirs) names a canonical role whose
    responsibilities nobody else holds in that row's scope; those responsibilities are assumed to sit
    with the skipped row, as a title-only row would, and are not reported as dropped. Severity medium.
    Rows skipped without a title (empty rows, rows with neither title nor description) cannot be
    attributed and only appear in the report's skipped-rows list.
"""

from __future__ import annotations

from collections.abc import Iterator
from collections.abc import Set as AbstractSet

from analyzer import graph as g
from analyzer.findings.context import Context, at_least, finding
from analyzer.records import Finding, FindingKind, Severity, SkippedRow

RULE_DELIVERY_TEAM = "expected_in_delivery_team"
RULE_MANAGEMENT_CHAIN = "expected_in_management_chain"
RULE_ORGANISATION = "expected_in_organisation"
RULE_VACANT_HOLDER = "vacant_holder"
RULE_SKIPPED_MANAGER = "skipped_manager"
RULE_SKIPPED_HOLDER = "skipped_holder"
DOING = "AR"


def dropped(ctx: Context, covered_by_skipped: AbstractSet[tuple[str, str]] = frozenset()) -> Iterator[Finding]:
    """Expected responsibilities nobody holds at A or R where the model expects them.

    ``covered_by_skipped`` holds (scope, responsibility) pairs attributed to skipped rows (see
    :func:`orphaned_by_skipped_rows`); they are reported there, not here.
    """
    expectations = ctx.model.expectations
    delivery = ctx.delivery_scopes
    skipped_ids = _skipped_ids(ctx)
    chain_holders = {resp: set(ctx.holders_anywhere(resp, DOING))
                     for resp in expectations.delivery_team_management_chain}
    for scope in delivery:
        members = ctx.members.get(scope, [])
        for resp in expectations.delivery_team:
            if not ctx.holders_in(scope, resp, DOING) and (scope, resp) not in covered_by_skipped:
                yield _dropped(ctx, scope, resp, [], RULE_DELIVERY_TEAM,
                               f"{_upper_first(ctx.scope_phrase(scope))} has engineers but nobody in it is "
                               f"accountable or responsible for {ctx.responsibility_name(resp)}.")
        engineers = [pid for pid in members if ctx.person(pid).get("delivery")]
        if skipped_ids:  # engineers whose chain breaks off at a skipped row are reported as orphaned
            engineers = [pid for pid in engineers if _skipped_manager(ctx, pid, skipped_ids) is None]
        for resp, holders in chain_holders.items():
            in_scope = [pid for pid in members if pid in holders]
            uncovered = [pid for pid in engineers if not _covered_by_chain(ctx, pid, holders, in_scope)]
            if uncovered:
                yield _dropped(ctx, scope, resp, uncovered, RULE_MANAGEMENT_CHAIN,
                               f"Nobody in {ctx.scope_phrase(scope)} or up the management chain of "
                               f"{ctx.people_phrase(uncovered)} holds {ctx.responsibility_name(resp)} for them.")
    org_expected = list(expectations.organisation)
    for conditional in expectations.organisation_conditional:
        if len(delivery) >= conditional.min_delivery_teams:
            org_expected.append(conditional.responsibility)
    for resp in dict.fromkeys(org_expected):
        if not ctx.holders_anywhere(resp, DOING):
            yield _dropped(ctx, g.ORG_SCOPE, resp, [], RULE_ORGANISATION,
                           f"Nobody in the organisation is accountable or responsible for "
                           f"{ctx.responsibility_name(resp)}.")


def _covered_by_chain(ctx: Context, person_id: str, holders: AbstractSet[str], members: list[str]) -> bool:
    """Someone else among ``members``, or a manager up the person's chain, is in ``holders``."""
    if any(pid in holders for pid in members if pid != person_id):
        return True
    return not holders.isdisjoint(ctx.chain(person_id))


def _dropped(ctx: Context, scope: str, resp: str, people: list[str], rule: str, explanation: str) -> Finding:
    owner = ctx.responsibility(resp).owner
    return finding(
        FindingKind.DROPPED, at_least(ctx.severity_for(resp), Severity.MEDIUM), scope, resp, people, rule,
        explanation,
        suggestion=f"Give {ctx.responsibility_name(resp)} to {ctx.a_role(owner)} "
                   f"in {ctx.scope_phrase(scope)}, or confirm who covers it.",
    )


def orphaned_by_vacancies(ctx: Context) -> Iterator[Finding]:
    """Responsibilities whose only holders in a scope are vacant or departed positions."""
    inactive = ctx.inactive
    for scope, by_resp in ctx.index.items():
        groups: dict[tuple[str, ...], list[str]] = {}
        for resp, levels in by_resp.items():
            relevant = levels.get("A") or levels.get("R") or []
            if relevant and all(pid in inactive for pid in relevant):
                groups.setdefault(tuple(relevant), []).append(resp)
        for seats, resps in groups.items():
            seats_list = list(seats)
            statuses = {ctx.person(pid)["status"] for pid in seats}
            why = "the position is filled" if statuses == {g.VACANT} else "someone takes over"
            names = ctx.responsibility_list(resps, limit=6)
            severity = at_least(max((ctx.severity_for(r) for r in resps), key=_importance), Severity.MEDIUM)
            yield finding(
                FindingKind.ORPHANED, severity, scope, resps[0] if len(resps) == 1 else None, seats_list,
                RULE_VACANT_HOLDER,
                f"In {ctx.scope_phrase(scope)}, {names} {'is' if len(resps) == 1 else 'are'} held only by "
                f"{ctx.people_phrase(seats_list)}. Until {why}, nobody owns "
                f"{'it' if len(resps) == 1 else 'them'}.",
                tuple(item for resp in resps[:3] for item in ctx.evidence(seats_list, resp)[:1]),
                suggestion=f"Name an interim owner in {ctx.scope_phrase(scope)} for {names} until {why}.",
                metrics={"responsibilities": len(resps)},
            )


def orphaned_by_skipped_rows(ctx: Context) -> tuple[list[Finding], set[tuple[str, str]]]:
    """Orphans caused by skipped input rows, and the (scope, responsibility) pairs they account for."""
    findings: list[Finding] = []
    covered: set[tuple[str, str]] = set()
    skipped_ids = _skipped_ids(ctx)
    chain_expected = ctx.model.expectations.delivery_team_management_chain
    for scope in ctx.delivery_scopes if skipped_ids else ():
        by_manager: dict[str, list[str]] = {}
        for pid in ctx.members.get(scope, ()):
            if ctx.person(pid).get("delivery") and (row := _skipped_manager(ctx, pid, skipped_ids)):
                by_manager.setdefault(row.id, []).append(pid)
        for manager_id, reports in sorted(by_manager.items()):
            row = skipped_ids[manager_id]
            members = ctx.members.get(scope, [])
            missing = [resp for resp in chain_expected
                       if not all(_covered_by_chain(ctx, pid, set(ctx.holders_anywhere(resp, DOING)), members)
                                  for pid in reports)]
            if not missing:
                continue
            names = ctx.responsibility_list(missing)
            findings.append(finding(
                FindingKind.ORPHANED, Severity.MEDIUM, scope, missing[0] if len(missing) == 1 else None, reports,
                RULE_SKIPPED_MANAGER,
                f"The manager of {ctx.people_phrase(reports)} in {ctx.scope_phrase(scope)} is on input row "
                f"{row.row} (id {manager_id}), which was skipped ({row.reason}). Whoever holds {names} for "
                "them could not be analysed.",
                suggestion=f"Fix row {row.row} of the input (give it a job title or description) and run the "
                           "analysis again.",
                metrics={"row": row.row},
            ))
    titles = None
    for row in ctx.skipped_rows:
        title = getattr(row, "title", "") or ""
        if not title:
            continue
        if titles is None:
            from analyzer.mapping.titles import TitleReader

            titles = TitleReader(ctx.model)
        role = titles.read(title).role
        if not role:
            continue
        scope = _row_scope(row)
        missing = [resp for resp in ctx.model.owned_by(role) if not ctx.holders_in(scope, resp, DOING)]
        if not missing:
            continue
        covered.update((scope, resp) for resp in missing)
        names = ctx.responsibility_list(missing, limit=6)
        findings.append(finding(
            FindingKind.ORPHANED, Severity.MEDIUM, scope, missing[0] if len(missing) == 1 else None, [],
            RULE_SKIPPED_HOLDER,
            f"Input row {row.row} ({title}{', id ' + row.id if row.id else ''}) was skipped ({row.reason}). "
            f"In {ctx.scope_phrase(scope)} nobody else holds {names}, which the role model gives to the "
            f"{ctx.role_name(role)}; they were probably held by that row.",
            suggestion=f"Fix row {row.row} of the input and run the analysis again.",
            metrics={"row": row.row},
        ))
    return findings, covered


def _row_scope(row: SkippedRow) -> str:
    team = getattr(row, "team", None)
    manager = getattr(row, "manager_id", None)
    return team or (f"reports of {manager}" if manager else g.ORG_SCOPE)


def _skipped_ids(ctx: Context) -> dict[str, SkippedRow]:
    """Ids of skipped rows that are nobody in the graph (a duplicate id's first row is in it)."""
    return {row.id: row for row in ctx.skipped_rows if row.id and g.person_node(row.id) not in ctx.G}


def _skipped_manager(ctx: Context, person_id: str, skipped_ids: dict[str, SkippedRow]) -> SkippedRow | None:
    """The skipped row where the person's management chain breaks off, if it does."""
    chain = ctx.chain(person_id)
    top = chain[-1] if chain else person_id
    return skipped_ids.get(ctx.person(top).get("manager_id") or "")


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _importance(severity: Severity) -> int:
    return -severity.rank
