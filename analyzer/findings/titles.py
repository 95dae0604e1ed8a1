"""Findings about what a job is: combined roles, ambiguous titles and inconsistent titles.

Rules
-----
model ``combined_roles`` rules (kind ``combined_role``)
    One person holds at A or R at least :data:`MIN_OWNED_FOR_COMBINED` (or all, when a role owns
    fewer) of the responsibilities of each role of the rule, e.g. product manager and product owner.
    The rule's severity (information in the default model: normal in small companies).
``title_matches_content`` (kind ``ambiguous_title``)
    The title names one role and the job description reads as another (content share at least
    :data:`MIN_CONTENT_CONFIDENCE`); not raised for a person already reported as a combined role of
    both. Severity medium.
model ``forbidden_accountability`` rules with ``finding: ambiguous_title``
    E.g. a lead product manager (an individual contributor) accountable for hiring: the title hides a
    people-manager job. The rule's severity. Not raised for people-management duties under a title that says it
    leads people ("Head of Product", "Director of Product Management"): that title hides nothing.
``title_matches_content`` (kind ``ambiguous_title``), another job
    The title names a product role and the job description reads as a non-product job family instead:
    the whole-document reading scores that family above every product role
    (:attr:`analyzer.mapping.roles.ContentReading.reads_as_family`). Severity medium; low when that family is
    the one the title's role is a branch of (the model's ``branch_of``: a program manager's description that
    reads as project management, a product marketer's that reads as marketing). Such a description does the
    parent discipline's work without the role's own, which is worth a look but says less against the title:
    on the real postings kept for development (``evaluation/real_dev``, both rounds), the labels (several of them
    doubted) keep the title for 7 of the 9 postings read so, against 5 of the 12 read as another family.
``consistent_title`` (kind ``title_inconsistency``)
    The same normalised title used for materially different jobs (see :func:`title_inconsistencies`).
    Severity low: it confuses hiring and levelling more than it breaks delivery.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from analyzer import graph as g
from analyzer.findings.context import Context, finding
from analyzer.mapping.assemble import MIN_OWNED_FOR_COMBINED
from analyzer.records import Evidence, Finding, FindingKind, PersonAnalysis, Severity

RULE_TITLE_CONTENT = "title_matches_content"
RULE_CONSISTENT_TITLE = "consistent_title"
TITLE_MIN_JACCARD = 0.3  # below this share of common A/R responsibilities, one title means different jobs
TITLE_MIN_HOLDINGS = 2  # people holding fewer A/R responsibilities say too little about their job
MIN_CONTENT_CONFIDENCE = 0.4  # a content reading weaker than this does not contradict a title


def combined_roles(ctx: Context) -> Iterator[Finding]:
    """One person covering several roles of a ``combined_roles`` rule (e.g. PM and PO)."""
    for rule in ctx.model.rules_of_kind("combined_roles"):
        owned = {role: set(ctx.model.owned_by(role)) for role in rule.roles}
        needed = {role: min(MIN_OWNED_FOR_COMBINED, len(resps)) for role, resps in owned.items()}
        order = ctx.responsibility_order
        readings: dict[frozenset[str], dict[str, list[str]] | None] = {}  # people share jobs: each read once
        for pid in ctx.sort_people(ctx.doing):
            doing = ctx.doing[pid]
            if doing not in readings:
                covered = {role: sorted(doing & owned[role], key=order.get) for role in rule.roles}
                readings[doing] = covered if all(resps and len(resps) >= needed[role]
                                                 for role, resps in covered.items()) else None
            covered = readings[doing]
            if covered is None:
                continue
            names = " and ".join(ctx.role_name(role) for role in rule.roles)
            evidence: list[Evidence] = []
            for resps in covered.values():
                evidence += ctx.evidence([pid], resps[0])
            yield finding(
                FindingKind.COMBINED_ROLE, Severity(rule.severity), ctx.person(pid)["scope"], None, [pid],
                rule.id,
                f"{ctx.person_label(pid)} covers the {names} roles: "
                + "; ".join(f"{ctx.role_name(role)}: {', '.join(ctx.responsibility_name(r) for r in resps)}"
                            for role, resps in covered.items())
                + f". {rule.explanation}",
                tuple(evidence),
                suggestion="No change needed if intended; make sure the person has time for both roles.",
            )


def ambiguous_titles(ctx: Context, combined: list[Finding]) -> Iterator[Finding]:
    """Title and content disagree, or a rule says the title hides another role (lead PM managing people)."""
    combined_people = {pid for f in combined for pid in f.people}
    combined_roles = {role for rule in ctx.model.rules_of_kind("combined_roles") for role in rule.roles}
    for person in ctx.people:
        role = person.role
        pid = person.id
        if role.from_title and role.content_family:
            yield _reads_as_another_job(ctx, person)
            continue
        if not role.from_title or not role.from_content or role.from_title == role.from_content:
            continue
        content_share = dict(role.content_scores).get(role.from_content, 0.0)
        if content_share < MIN_CONTENT_CONFIDENCE:
            continue
        if pid in combined_people and {role.from_title, role.from_content} <= combined_roles:
            continue
        owned = [h for h in person.holdings if ctx.responsibility(h.responsibility).owner == role.from_content]
        evidence = tuple(Evidence(pid, text) for h in owned[:2] for text in h.evidence[:1])
        yield finding(
            FindingKind.AMBIGUOUS_TITLE, Severity.MEDIUM, ctx.person(pid)["scope"], None, [pid],
            RULE_TITLE_CONTENT,
            f"{ctx.person_label(pid)} has the title of {ctx.a_role(role.from_title)}, but the job "
            f"description reads as {ctx.a_role(role.from_content)} "
            f"({content_share:.0%} of the mapped duties point there).",
            evidence,
            suggestion=f"Confirm which role {person.record.name or pid} plays and align the title or the "
                       "job description.",
        )
    # A title that says it leads people ("Head of Product", "Director of Product Management") hides no people-manager
    # job: such a rule (a lead PM who hires) has nothing to reveal about its people-management duties.
    people_leads = {person.id for person in ctx.people if person.role.people_lead}
    for rule in ctx.model.rules_of_kind("forbidden_accountability"):
        if rule.finding != FindingKind.AMBIGUOUS_TITLE.value:
            continue
        for pid in ctx.sort_people(pid for role in rule.roles for pid in ctx.by_role.get(role, ())):
            held = [resp for resp in rule.responsibilities if ctx.level(pid, resp) == "A"]
            if pid in people_leads:
                held = [resp for resp in held if not ctx.model.people_managed(resp)]
            if not held:
                continue
            yield finding(
                FindingKind.AMBIGUOUS_TITLE, Severity(rule.severity), ctx.person(pid)["scope"], held[0],
                [pid], rule.id,
                f"{ctx.person_label(pid)} is accountable for "
                f"{', '.join(ctx.responsibility_name(r) for r in held)}. {rule.explanation}",
                tuple(e for resp in held for e in ctx.evidence([pid], resp)),
                suggestion="Decide whether this is a people-manager role; if so, retitle it, if not, move "
                           "the people-management duties to the line manager.",
            )


def _reads_as_another_job(ctx: Context, person: PersonAnalysis) -> Finding:
    """A product title over a job description that reads as another job family (a data analyst's job); low
    severity when the role is a branch of that family (a program manager's description read as project management)."""
    role, pid = person.role, person.id
    family = ctx.model.family(role.content_family)
    field_of_work = family.name[:1].lower() + family.name[1:]
    titled = ctx.model.role(role.from_title)
    who, name = ctx.a_role(role.from_title), person.record.name or pid
    if titled.branch_of == family.id:
        own_work = ", ".join(ctx.responsibility_name(r).lower() for r in titled.signature) or "its own work"
        severity = Severity.LOW
        reading = (f"as a job in {field_of_work}, the discipline that role is a branch of, and says too little of the "
                   f"role's own work ({own_work}) to tell it apart.")
        suggestion = (f"Confirm whether {name} does the {titled.name}'s own work; if so, the job description should "
                      "say so, if not, the title may overstate the job.")
    else:
        severity = Severity.MEDIUM
        reading = (f"as a job in {field_of_work} rather than any product role: read as a whole, it is closer to that "
                   f"job than to {who}'s.")
        suggestion = (f"Confirm what {name} does: if it is not product work, retitle the position; if it is, the job "
                      "description should say so.")
    return finding(
        FindingKind.AMBIGUOUS_TITLE, severity, ctx.person(pid)["scope"], None, [pid], RULE_TITLE_CONTENT,
        f"{ctx.person_label(pid)} has the title of {who}, but the job description reads {reading}",
        tuple(Evidence(pid, text) for text in role.content_family_evidence[:2]), suggestion=suggestion,
    )


def title_inconsistencies(ctx: Context) -> Iterator[Finding]:
    """The same title across the organisation used for materially different jobs.

    People are grouped by normalised title (the graph's ``title_key``: lowercase, abbreviations
    expanded, seniority and team qualifiers removed). A person's job is the set of responsibilities
    they hold at A or R; people with fewer than :data:`TITLE_MIN_HOLDINGS` of them, and positions
    inferred from the title alone, say nothing about the job and are left out. With two people, the
    title is inconsistent when the Jaccard index of their jobs is below :data:`TITLE_MIN_JACCARD`. With
    three or more, the title's *core* is what a majority of them hold; the people whose Jaccard index
    with the core is below the threshold are the outliers (everybody, when there is no core).
    """
    groups: dict[str, list[tuple[str, frozenset[str]]]] = {}
    for pid in ctx.sort_people(ctx.doing):
        attrs = ctx.person(pid)
        doing = ctx.doing[pid]
        if attrs.get("title_only") or not attrs.get("title_key") or len(doing) < TITLE_MIN_HOLDINGS:
            continue
        groups.setdefault(attrs["title_key"], []).append((pid, doing))
    for key, members in sorted(groups.items()):
        if len(members) < 2:
            continue
        jobs = dict(members)
        if len(members) == 2:
            (a, job_a), (b, job_b) = members
            similarity = jaccard(job_a, job_b)
            if similarity >= TITLE_MIN_JACCARD:
                continue
            yield _title_finding(ctx, key, jobs, [a, b], similarity,
                                 f"Two people have the title '{key}' but do materially different jobs: they "
                                 f"share {similarity:.0%} of what they own or do. "
                                 + " ".join(_holds(ctx, pid, jobs[pid]) for pid in (a, b)))
            continue
        counts = Counter(resp for _, job in members for resp in job)
        core = frozenset(resp for resp, count in counts.items() if count * 2 > len(members))
        scores = {pid: jaccard(job, core) for pid, job in members} if core else {}
        outliers = [pid for pid, _ in members if not core or scores[pid] < TITLE_MIN_JACCARD]
        if not outliers:
            continue
        if core:
            lead = (f"{len(members)} people have the title '{key}'. Most of them hold {_names(ctx, core)}, but "
                    f"{ctx.people_phrase(outliers, limit=3)} share{'s' if len(outliers) == 1 else ''} less than "
                    f"{TITLE_MIN_JACCARD:.0%} of that. ")
            similarity = min(scores[pid] for pid in outliers)
        else:
            lead = (f"{len(members)} people have the title '{key}', but no responsibility is held by most of "
                    "them. ")
            similarity = 0.0
        yield _title_finding(ctx, key, jobs, outliers, similarity,
                             lead + " ".join(_holds(ctx, pid, jobs[pid] - core) for pid in outliers[:3]))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard index of two sets (1.0 when both are empty)."""
    union = a | b
    return round(len(a & b) / len(union), 4) if union else 1.0


def _names(ctx: Context, responsibilities: frozenset[str]) -> str:
    order = {resp: index for index, resp in enumerate(ctx.model.responsibility_ids)}
    return ctx.responsibility_list(sorted(responsibilities, key=lambda r: order.get(r, len(order))), limit=4)


def _holds(ctx: Context, pid: str, responsibilities: frozenset[str]) -> str:
    return f"{ctx.person_label(pid)} holds {_names(ctx, responsibilities) or 'little of it'}."


def _title_finding(ctx: Context, key: str, jobs: dict[str, frozenset[str]], people: list[str], similarity: float,
                   text: str) -> Finding:
    order = {resp: index for index, resp in enumerate(ctx.model.responsibility_ids)}
    evidence = tuple(item for pid in people[:3]
                     for resp in sorted(jobs[pid], key=lambda r: order.get(r, len(order)))[:1]
                     for item in ctx.evidence([pid], resp)[:1])
    return finding(
        FindingKind.TITLE_INCONSISTENCY, Severity.LOW, g.ORG_SCOPE, None, people, RULE_CONSISTENT_TITLE,
        text + " One title for different jobs confuses hiring, levelling and who people go to.",
        evidence,
        suggestion=f"Align the job descriptions of the '{key}' title, or give the different jobs different titles.",
        metrics={"jaccard": similarity, "people_with_title": len(jobs)},
    )
