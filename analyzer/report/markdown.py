"""report.md: a Markdown report that reads well on GitHub. User text is escaped for Markdown."""

from __future__ import annotations

import re

from analyzer.records import Analysis
from analyzer.report.views import (
    MAX_FINDINGS_SHOWN,
    MAX_PEOPLE_SHOWN,
    confidence_caveat,
    model_of,
    person_names,
    summary,
)

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~&])")


def md_escape(text: str) -> str:
    """Escape Markdown and HTML-significant characters in user text; keep it on one line.

    Examples
    --------
    >>> md_escape("<b>Ann</b> | *PM*")
    '\\\\<b\\\\>Ann\\\\</b\\\\> \\\\| \\\\*PM\\\\*'
    """
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def md_code(text: str) -> str:
    """User text as an inline code span (shown verbatim: no escapes apply inside code).

    Examples
    --------
    >>> md_code("acme_like.csv"), md_code("a`b")
    ('`acme_like.csv`', '`` a`b ``')
    """
    flat = " ".join(str(text).split())
    fence = "`" * (max((len(run) for run in re.findall(r"`+", flat)), default=0) + 1)
    return f"{fence} {flat} {fence}" if "`" in flat else f"{fence}{flat}{fence}"


def to_markdown(analysis: Analysis, images: list[tuple[str, str]] | None = None) -> str:
    """report.md; ``images`` lists (title, relative PNG path) of figures written next to it."""
    model = model_of(analysis)
    info = summary(analysis)
    names = person_names(analysis)
    intro = (f"Input: {md_code(analysis.input_path)} ({analysis.input_rows} rows; {info.people} people analysed, "
             f"{info.skipped} skipped). Role model: {model.id} {model.version}.")
    if analysis.min_confidence is not None:
        intro += (f" Duty statements were mapped onto a responsibility at a confidence of "
                  f"{analysis.min_confidence:g} or more; the others are listed as unmapped. "
                  f"{confidence_caveat(analysis)}")
    if analysis.semantic:
        intro += " Statements were read by the semantic mapper (MiniLM sentence vectors beside their wording)."
    lines = ["# Organisation overlap report", "", intro, ""]
    if analysis.title_only:
        lines += ["> **Title-only analysis:** the input has no job descriptions, so responsibilities are "
                  "inferred from titles (each role is assumed to hold what the role model gives it).", ""]
    if analysis.warnings:
        count = len(analysis.warnings)
        more = f" (and {count - 1} more, under Warnings)" if count > 1 else ""
        lines += [f"> **{count} warning{'s' if count > 1 else ''} about the input or the model**, to read before "
                  f"the findings: {md_escape(analysis.warnings[0])}{more}", ""]
    lines += ["## Summary", ""]
    severities = " · ".join(f"**{count}** {sev}" for sev, count in info.by_severity)
    lines += [f"{info.findings} findings: {severities}.", ""]
    kinds = [(kind, count) for kind, count in info.by_kind if count]
    if kinds:
        lines += ["| kind | count |", "|---|---:|"]
        lines += [f"| {kind.replace('_', ' ')} | {count} |" for kind, count in kinds]
    if info.top:
        lines += ["", "**Read these first:**", ""]
        lines += [f"{n}. **{f.severity.value}**, {f.kind.value.replace('_', ' ')}: {md_escape(f.explanation)}"
                  for n, f in enumerate(info.top, start=1)]
    shown = analysis.findings[:MAX_FINDINGS_SHOWN]
    if len(analysis.findings) > len(shown):
        lines += ["", f"> The {len(shown):,} most important of {len(analysis.findings):,} findings are listed below; "
                  "report.json has them all.", ""]
    if analysis.findings:
        lines += ["", "## Findings at a glance", "", "| # | severity | kind | team | responsibility | people |",
                  "|---:|---|---|---|---|---|"]
        for number, finding in enumerate(shown, start=1):
            resp = model.responsibility(finding.responsibility).name if finding.responsibility else "-"
            people = ", ".join(md_escape(names.get(pid, pid)) for pid in finding.people[:4])
            more = f" and {len(finding.people) - 4} more" if len(finding.people) > 4 else ""
            lines.append(f"| {number} | {finding.severity.value} | {finding.kind.value.replace('_', ' ')} | "
                         f"{md_escape(finding.scope)} | {md_escape(resp)} | {people or '-'}{more} |")
    if images:
        lines += ["", "## Heatmaps and team graphs", ""]
        for title, path in images:
            lines += [f"![{md_escape(title)}]({path.replace(' ', '%20')})", ""]
    lines += ["", "## Findings", ""]
    if not analysis.findings:
        lines.append("No findings.")
    for number, finding in enumerate(shown, start=1):
        resp = model.responsibility(finding.responsibility).name if finding.responsibility else "-"
        lines += [
            f"### {number}. {finding.kind.value}: {md_escape(resp)} ({finding.severity.value})",
            "",
            f"- Scope: {md_escape(finding.scope)}",
            f"- People: {', '.join(md_escape(names.get(pid, pid)) for pid in finding.people) or '-'}",
            f"- Rule: {md_code(finding.rule)}",
            "",
            md_escape(finding.explanation),
            "",
        ]
        if finding.suggestion:
            lines += [f"*Suggestion:* {md_escape(finding.suggestion)}", ""]
        for item in finding.evidence:
            lines.append(f"> {md_escape(names.get(item.person, item.person))}: \"{md_escape(item.text)}\"")
        if finding.evidence:
            lines.append("")
    lines += ["## People", "", "| id | name | title | team | role | accountable (A) | responsible (R) |",
              "|---|---|---|---|---|---|---|"]
    for person in analysis.people[:MAX_PEOPLE_SHOWN]:
        record = person.record
        a = ", ".join(h.responsibility for h in person.holdings if h.level.value == "A")
        r = ", ".join(h.responsibility for h in person.holdings if h.level.value == "R")
        lines.append(f"| {md_escape(record.id)} | {md_escape(record.name)} | {md_escape(record.title)} | "
                     f"{md_escape(record.team or '')} | {person.role.canonical or '-'} | {a or '-'} | {r or '-'} |")
    if len(analysis.people) > MAX_PEOPLE_SHOWN:
        lines += ["", f"{len(analysis.people) - MAX_PEOPLE_SHOWN:,} more people are in report.json and the "
                  "responsibility matrix."]
    if analysis.skipped_rows:
        lines += ["", "## Skipped rows", "", "| row | id | reason |", "|---|---|---|"]
        lines += [f"| {s.row} | {md_escape(s.id or '')} | {md_escape(s.reason)} |" for s in analysis.skipped_rows]
    if analysis.warnings:
        lines += ["", "## Warnings", ""]
        lines += [f"- {md_escape(w)}" for w in analysis.warnings]
    return "\n".join(lines) + "\n"
