"""Role from content on labelled job descriptions: scoring and the report :mod:`analyzer.evaluate` prints.

A folder of job descriptions with an ``index.csv`` (``file``, ``title``, ``canonical_role``, ``notes``, and optionally
``family`` and ``part``) is read role by role: from content alone (the target's measure, title ignored) and, apart,
as ``analyze`` names a job from its title and content together. The model's example adverts are read the same way,
each set by a document classifier trained without it.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from analyzer.errors import AnalyzerError
from analyzer.mapping.mapper import Mapper
from analyzer.model import RoleModel


@dataclass(frozen=True)
class JdResult:
    file: str
    title: str
    gold: str
    predicted: str
    confidence: float
    doubt: str
    family: str = ""  # the job family the description reads as (ContentReading.reads_as_family), if any
    gold_family: str = ""  # the labelled family of a non-product job, when the index gives one
    part: str = ""  # the part of the corpus the file belongs to, when the index has a ``part`` column
    with_title: str = ""  # the role as ``analyze`` names it, title and content combined ("": not computed)
    with_title_confidence: float = 0.0  # ... and how sure that reading says it is (RoleGuess.confidence)


# Wording by which an index's notes say a label is doubtful (the corpus README's "Labels with doubts"; the
# example adverts write "doubt: ...").
_DOUBT_WORDS = ("doubt", "ambiguous", "borderline", "caveat", "defensible", "could also be read", "close to",
                "also asks", "more senior", "less delivery", "straddle")


def index_rows(folder: Path, *, missing_ok: bool = False, listed: str = "files",
               expected: str = "a folder of job descriptions with its index.csv (file, title, canonical_role, notes)",
               fix: str = "fetch them, or list only the files present") -> list[dict[str, str]]:
    """The rows of ``folder/index.csv``, in its order. Raises :class:`AnalyzerError` when the index is missing (the
    message says to give ``expected``) or, unless ``missing_ok`` (then their rows are left out), when files it lists
    are (naming them, in name order, as ``listed`` and with ``fix``)."""
    index = folder / "index.csv"
    if not index.is_file():
        raise AnalyzerError(f"{index}: no index.csv; give {expected}")
    with index.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    missing = sorted(row["file"] for row in rows if not (folder / row["file"]).is_file())
    if missing and not missing_ok:
        raise AnalyzerError(f"{folder}: {len(missing)} {listed} listed in index.csv are missing (first: "
                            f"{', '.join(missing[:3])}); {fix}")
    return [row for row in rows if row["file"] not in missing] if missing else rows


def description_body(path: Path) -> str:
    """A labelled job description's text without its first line, the published title (which the content reading
    ignores)."""
    lines = path.read_text(encoding="utf-8").split("\n", 1)
    return lines[1] if len(lines) > 1 else ""


def read_labelled_folder(jds_dir: Path) -> tuple[list[dict[str, str]], list[str]]:
    """The rows of ``jds_dir/index.csv`` (:func:`index_rows`) and, for each, its file's :func:`description_body`."""
    entries = index_rows(jds_dir)
    return entries, [description_body(jds_dir / entry["file"]) for entry in entries]


def evaluate_jds(mapper: Mapper, model: RoleModel, jds_dir: Path) -> list[JdResult]:
    """Role from content alone (title ignored) for every JD listed in ``index.csv``; and, apart, the role as
    ``analyze`` names it from the published title and the content together (``JdResult.with_title``)."""
    from analyzer.mapping.own_title import as_read_by
    from analyzer.mapping.roles import combine, role_from_content
    from analyzer.mapping.titles import TitleReader

    entries, texts = read_labelled_folder(jds_dir)
    mappings = mapper.map_texts(texts)
    listed = _files_listed_as_doubtful(jds_dir / "README.md")
    titles = TitleReader(model)
    results = []
    for entry, mapping in zip(entries, mappings, strict=True):
        reading = role_from_content(mapping, model)
        as_analyzed = as_read_by(mapping, entry["title"], titles)  # "The <title> will ...": the reader, as in analyze
        guess = combine(titles.read(entry["title"]),
                        reading if as_analyzed is mapping else role_from_content(as_analyzed, model))
        notes = entry.get("notes", "")
        doubt = "doubt" if entry["file"] in listed or _notes_raise_doubt(notes) else ""
        gold_family = (entry.get("family") or "") if entry["canonical_role"] == "other" else ""
        results.append(JdResult(entry["file"], entry["title"], entry["canonical_role"], reading.role or "other",
                                reading.confidence, doubt, reading.reads_as_family or "", gold_family,
                                entry.get("part") or "", guess.canonical or "other", guess.confidence))
    return results


def evaluate_adverts(mapper: Mapper, model: RoleModel) -> dict[str, list[JdResult]]:
    """Role from content on the model's own example adverts (:mod:`analyzer.adverts`), per set, each set
    read by a document classifier trained without it (leave one set out): no advert is read by a
    classifier that learnt from it. The statements are mapped by ``mapper`` (its statement classifier
    never sees the adverts)."""
    return evaluate_adverts_cut(mapper, model, (None,))[None]


def evaluate_adverts_cut(mapper: Mapper, model: RoleModel, cuts: Sequence[int | None]
                         ) -> dict[int | None, dict[str, list[JdResult]]]:
    """:func:`evaluate_adverts` for each advert read whole (``None``) and cut to its first ``n`` duty statements,
    per ``n`` in ``cuts``: how the reader does on short descriptions (one classifier per set serves every cut)."""
    import dataclasses

    from analyzer.mapping.jobs import JobClassifier, document_statements, first_statements
    from analyzer.mapping.roles import role_from_content

    results: dict[int | None, dict[str, list[JdResult]]] = {cut: {} for cut in cuts}
    for group in sorted({advert.group for advert in model.adverts}):
        held = [advert for advert in model.adverts if advert.group == group]
        jobs = JobClassifier(model, adverts=[advert for advert in model.adverts if advert.group != group])
        whole = mapper.map_texts([advert.text for advert in held])
        for cut in cuts:
            mappings = [m if cut is None else dataclasses.replace(m, mappings=m.mappings[:cut],
                                                                  statements=first_statements(m.statements, cut))
                        for m in whole]
            scores = jobs.scores_many([document_statements(m.statements, cut) for m in whole])
            rows = results[cut][group] = []
            for advert, mapping, document in zip(held, mappings, scores, strict=True):
                mapping = dataclasses.replace(mapping, job_scores=tuple(sorted(document.items())))
                reading = role_from_content(mapping, model)
                doubt = "doubt" if _notes_raise_doubt(advert.notes) else ""
                rows.append(JdResult(advert.source, "", advert.canonical_role, reading.role or "other",
                                     reading.confidence, doubt, reading.reads_as_family or "", advert.family or ""))
    return results


def print_cut_summary(results: dict[int | None, dict[str, list[JdResult]]], out=sys.stdout) -> None:
    """One line per set and cut: product roles read right and other jobs kept out."""
    p = lambda *a: print(*a, file=out)  # noqa: E731
    p("== Role from content on the model's adverts cut to their first n duty statements, each set left out ==")
    cuts = list(results)
    p(f"{'set':<16}" + "".join(f"{'whole' if cut is None else f'first {cut}':>31}" for cut in cuts))
    groups = list(next(iter(results.values())))
    for label, chosen in [*((group, [group]) for group in groups), ("all", groups)]:
        cells = []
        for cut in cuts:
            role_hits, roles, other_hits, others = _tally([row for group in chosen for row in results[cut][group]])
            cells.append(f"roles {role_hits}/{roles}, other {other_hits}/{others}")
        p(f"{label.removesuffix('/index.csv').removeprefix('adverts/'):<16}" + "".join(f"{cell:>31}" for cell in cells))


def _tally(results: Sequence[JdResult], named: Callable[[JdResult], str] = lambda r: r.predicted
           ) -> tuple[int, int, int, int]:
    """(product roles read right, product roles, other jobs kept out, other jobs), reading each job as ``named``."""
    roles = [r for r in results if r.gold != "other"]
    others = [r for r in results if r.gold == "other"]
    return (sum(named(r) == r.gold for r in roles), len(roles),
            sum(named(r) == "other" for r in others), len(others))


def _notes_raise_doubt(notes: str) -> bool:
    """True when an index's notes doubt the label ("doubt: product_owner because ...", "could also be read as
    ..."); "doubt: none" says there is none."""
    lowered = re.sub(r"\bdoubts?:\s*none\b", "", notes.lower())
    return any(word in lowered for word in _DOUBT_WORDS)


def _files_listed_as_doubtful(readme: Path) -> set[str]:
    """Files named (in backticks) under a "Labels with doubts" heading of the corpus README, if any."""
    try:
        text = readme.read_text(encoding="utf-8")
    except OSError:
        return set()
    section = re.search(r"^#+ Labels with doubts\s*$(.*?)(?=^#+ |\Z)", text, re.MULTILINE | re.DOTALL | re.IGNORECASE)
    return set(re.findall(r"`([^`]+\.txt)`", section.group(1))) if section else set()


def role_tally_lines(results: list[JdResult]) -> list[str]:
    """Per product role: the descriptions labelled with it, those read as it from content, and those both; then the
    misreadings, most frequent first (how often a role is over- or under-named, and as what)."""
    roles = sorted(({r.gold for r in results} | {r.predicted for r in results}) - {"other"})
    lines = ["per role, from content:"]
    for role in roles:
        labelled = sum(r.gold == role for r in results)
        named = sum(r.predicted == role for r in results)
        right = sum(r.gold == role == r.predicted for r in results)
        lines.append(f"  {role:<27} labelled {labelled:>3}, named {named:>3}, right {right:>3}")
    misses = Counter((r.gold, r.predicted) for r in results if r.predicted != r.gold)
    if misses:
        lines.append("misread (gold -> from content): " + ", ".join(
            f"{gold} -> {predicted} {count}" for (gold, predicted), count in sorted(
                misses.items(), key=lambda item: (-item[1], item[0]))))
    return lines


def _by_confidence(results: list[JdResult]) -> list[tuple[str, int, int]]:
    """(confidence, readings, right) per confidence a reading of the title gives, from the surest down, then the
    readings of a description alone (pooled: each gets its own value)."""
    from analyzer.mapping.roles import TITLE_CONFIDENCES

    bands: dict[float, list[bool]] = {}
    for r in results:
        bands.setdefault(r.with_title_confidence if r.with_title_confidence in TITLE_CONFIDENCES else -1.0,
                         []).append(r.with_title == r.gold)
    return [(f"{value:g}" if value >= 0 else "the description alone", len(hits), sum(hits))
            for value, hits in sorted(bands.items(), reverse=True)]


def print_jd_report(results: list[JdResult], out=sys.stdout, heading: str = "published JDs",
                    misses_only: bool = False) -> None:
    p = lambda *a: print(*a, file=out)  # noqa: E731
    roles = [r for r in results if r.gold != "other"]
    others = [r for r in results if r.gold == "other"]
    role_hits, _, other_hits, _ = _tally(results)
    p(f"== Role from content on {heading} ({len(results)} files; title ignored) ==")
    p(f"role-labelled accuracy    {role_hits / len(roles) if roles else 0:.3f}  ({role_hits}/{len(roles)})")
    p(f"'other' kept out          {other_hits / len(others) if others else 0:.3f}  ({other_hits}/{len(others)})")
    sure = [r for r in roles if not r.doubt]
    sure_hits = sum(r.predicted == r.gold for r in sure)
    p(f"role-labelled, no doubt   {sure_hits / len(sure) if sure else 0:.3f}  ({sure_hits}/{len(sure)}: "
      "labels whose notes raise no doubt)")
    named = [r for r in others if r.family]
    line = f"job family named          {len(named)}/{len(others)} other jobs"
    if any(r.gold_family for r in others):
        line += f" (the labelled family: {sum(r.family == r.gold_family for r in named)})"
    p(f"{line}, {sum(bool(r.family) for r in roles)}/{len(roles)} product roles (a title naming one is then an "
      "ambiguous_title finding)")
    if any(r.with_title for r in results):
        titled_role_hits, _, titled_other_hits, _ = _tally(results, lambda r: r.with_title)
        p(f"with the title, as analyze reads a job: roles {titled_role_hits}/{len(roles)}, other jobs kept out "
          f"{titled_other_hits}/{len(others)}")
        p("  right by the reading's confidence (role.confidence): " + ", ".join(
            f"{confidence}: {right}/{count}" for confidence, count, right in _by_confidence(results)))
    parts = sorted({r.part for r in results if r.part})
    for part in parts if len(parts) > 1 else ():
        part_role_hits, part_roles, part_other_hits, part_others = _tally([r for r in results if r.part == part])
        p(f"  part {part:<19} roles {part_role_hits}/{part_roles}, other kept out {part_other_hits}/{part_others}")
    for line in role_tally_lines(results):
        p(line)
    width = max([56, *(len(r.file) for r in results)])
    p(f"{'file':<{width}} {'gold':<27} {'predicted':<27} conf  note")
    for r in results:
        if misses_only and r.predicted == r.gold:
            continue
        mark = "" if r.predicted == r.gold else "MISS"
        p(f"{r.file:<{width}} {r.gold:<27} {r.predicted:<27} {r.confidence:.2f} {mark} {r.doubt}")
