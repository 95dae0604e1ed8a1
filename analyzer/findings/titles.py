"""Findings about what a job is: ambiguous titles and combined roles."""

from __future__ import annotations

from collections.abc import Iterator

from analyzer import graph as g
from analyzer.findings.context import Context, finding
from analyzer.records import Evidence, Finding, FindingKind, PersonAnalysis, Severity

RULE_TITLE_CONTENT = "title_matches_content"
MIN_CONTENT_CONFIDENCE = 0.4  # a content reading weaker than this does not contradict a title
MIN_OWNED_FOR_COMBINED = 2  # responsibilities of each role a person must hold to cover both


def combined_roles(ctx: Context) -> Iterator[Finding]:
    """One person covering several roles of a ``combined_roles`` rule (e.g. PM and PO)."""
    for rule in ctx.model.rules_of_kind("combined_roles"):
        for pid in g.people(ctx.G):
            held = {resp for resp, data in g.person_holdings(ctx.G, pid) if data["level"] in ("A", "R")}
            covered = {role: sorted(held & set(ctx.model.owned_by(role))) for role in rule.roles}
            if not all(len(resps) >= MIN_OWNED_FOR_COMBINED for resps in covered.values()):
                continue
            names = " and ".join(ctx.role_name(role) for role in rule.roles)
            evidence: list[Evidence] = []
            for resps in covered.values():
                evidence += ctx.evidence([pid], resps[0])
            yield finding(
                FindingKind.COMBINED_ROLE, Severity(rule.severity), g.person(ctx.G, pid)["scope"], None, [pid],
                rule.id,
                f"{ctx.person_label(pid)} covers the {names} roles: "
                + "; ".join(f"{ctx.role_name(role)}: {', '.join(ctx.responsibility_name(r) for r in resps)}"
                            for role, resps in covered.items())
                + f". {rule.explanation}",
                tuple(evidence),
                suggestion="No change needed if intended; make sure the person has time for both roles.",
            )


def ambiguous_titles(ctx: Context, people: list[PersonAnalysis], combined: list[Finding]) -> Iterator[Finding]:
    """Title and content disagree, or a rule says the title hides another role (lead PM managing people)."""
    combined_people = {pid for f in combined for pid in f.people}
    combined_roles = {role for rule in ctx.model.rules_of_kind("combined_roles") for role in rule.roles}
    for person in people:
        role = person.role
        pid = person.id
        if not role.from_title or not role.from_content or role.from_title == role.from_content:
            continue
        content_share = dict(role.content_scores).get(role.from_content, 0.0)
        if content_share < MIN_CONTENT_CONFIDENCE:
            continue
        if pid in combined_people and {role.from_title, role.from_content} <= combined_roles:
            continue
        owned = [h for h in person.holdings if ctx.model.responsibility(h.responsibility).owner == role.from_content]
        evidence = tuple(Evidence(pid, text) for h in owned[:2] for text in h.evidence[:1])
        yield finding(
            FindingKind.AMBIGUOUS_TITLE, Severity.MEDIUM, g.person(ctx.G, pid)["scope"], None, [pid],
            RULE_TITLE_CONTENT,
            f"{ctx.person_label(pid)} has the title of a {ctx.role_name(role.from_title)}, but the job "
            f"description reads as a {ctx.role_name(role.from_content)} "
            f"({content_share:.0%} of the mapped duties point there).",
            evidence,
            suggestion=f"Confirm which role {person.record.name or pid} plays and align the title or the "
                       "job description.",
        )
    for rule in ctx.model.rules_of_kind("forbidden_accountability"):
        if rule.finding != FindingKind.AMBIGUOUS_TITLE.value:
            continue
        for pid in g.people(ctx.G):
            if g.role_of(ctx.G, pid) not in rule.roles:
                continue
            held = [resp for resp in rule.responsibilities
                    if (g.level_of(ctx.G, pid, resp) or None) is not None
                    and g.level_of(ctx.G, pid, resp).value == "A"]
            if not held:
                continue
            yield finding(
                FindingKind.AMBIGUOUS_TITLE, Severity(rule.severity), g.person(ctx.G, pid)["scope"], held[0],
                [pid], rule.id,
                f"{ctx.person_label(pid)} is accountable for "
                f"{', '.join(ctx.responsibility_name(r) for r in held)}. {rule.explanation}",
                tuple(e for resp in held for e in ctx.evidence([pid], resp)),
                suggestion="Decide whether this is a people-manager role; if so, retitle it, if not, move "
                           "the people-management duties to the line manager.",
            )
