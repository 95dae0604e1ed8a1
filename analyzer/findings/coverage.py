"""Dropped responsibilities: expected work that nobody does (A or R) where it is expected."""

from __future__ import annotations

from collections.abc import Iterator

from analyzer import graph as g
from analyzer.findings.context import Context, finding
from analyzer.records import Finding, FindingKind, Severity

RULE_DELIVERY_TEAM = "expected_in_delivery_team"
RULE_MANAGEMENT_CHAIN = "expected_in_management_chain"
RULE_ORGANISATION = "expected_in_organisation"
DOING = ("A", "R")


def dropped(ctx: Context) -> Iterator[Finding]:
    expectations = ctx.model.expectations
    delivery = g.delivery_scopes(ctx.G)
    for scope in delivery:
        members = g.people_in_scope(ctx.G, scope)
        for resp in expectations.delivery_team:
            if not g.holders(ctx.G, resp, DOING, scope):
                yield _dropped(ctx, scope, resp, members, RULE_DELIVERY_TEAM,
                               f"{ctx.scope_phrase(scope).capitalize()} has engineers but nobody in it is "
                               f"accountable or responsible for {ctx.responsibility_name(resp)}.")
        engineers = [pid for pid in members if g.person(ctx.G, pid).get("delivery")]
        for resp in expectations.delivery_team_management_chain:
            uncovered = [pid for pid in engineers if not _covered_by_chain(ctx, pid, resp, members)]
            if uncovered:
                yield _dropped(ctx, scope, resp, uncovered, RULE_MANAGEMENT_CHAIN,
                               f"Nobody in {ctx.scope_phrase(scope)} or up the management chain of "
                               f"{ctx.people_phrase(uncovered[:5])}"
                               f"{' and others' if len(uncovered) > 5 else ''} holds "
                               f"{ctx.responsibility_name(resp)} for them.")
    org_expected = list(expectations.organisation)
    for conditional in expectations.organisation_conditional:
        if len(delivery) >= conditional.min_delivery_teams:
            org_expected.append(conditional.responsibility)
    for resp in dict.fromkeys(org_expected):
        if not g.holders(ctx.G, resp, DOING, g.ORG_SCOPE):
            yield _dropped(ctx, g.ORG_SCOPE, resp, [], RULE_ORGANISATION,
                           f"Nobody in the organisation is accountable or responsible for "
                           f"{ctx.responsibility_name(resp)}.")


def _covered_by_chain(ctx: Context, person_id: str, resp: str, members: list[str]) -> bool:
    holders = set(g.holders(ctx.G, resp, DOING, g.ORG_SCOPE))
    if holders & (set(members) - {person_id}):
        return True
    return bool(holders & set(g.management_chain(ctx.G, person_id)))


def _dropped(ctx: Context, scope: str, resp: str, people: list[str], rule: str, explanation: str) -> Finding:
    owner = ctx.model.responsibility(resp).owner
    severity = ctx.severity_for(resp)
    if severity is Severity.LOW:
        severity = Severity.MEDIUM  # missing work is never merely cosmetic
    return finding(
        FindingKind.DROPPED, severity, scope, resp, people, rule, explanation,
        suggestion=f"Give {ctx.responsibility_name(resp)} to a {ctx.role_name(owner)} "
                   f"in {ctx.scope_phrase(scope)}, or confirm who covers it.",
    )
