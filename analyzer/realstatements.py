"""Statements of real postings, labelled by hand, rebuilt from their texts (which the repository cannot hold).

``evaluation/real_dev/statements_labels.csv`` labels a sample of the duty statements of the real postings
listed in ``evaluation/real_dev/index.csv``: 450 per round, drawn by :func:`sample_statements`, each label
tied to its statement by the SHA-1 of the text. The texts stay outside the repository (most of their sources
state no licence that allows copying them), so :func:`rebuild` segments a folder of the fetched postings
again, finds each labelled statement in its posting by that hash and writes ``statements_<round>[_<annotator>].csv``
in the layout of ``evaluation/statements_test.csv`` (``id,text,labels,level,style,note``). ``python -m
analyzer.evaluate --statements`` then scores them.

The statements were cut by the segmenter of commit ``LABELS_COMMIT``; later segmenters cut some of them otherwise
(about 15% by iteration 10). So :func:`rebuild` can segment with that commit's code: check it out beside this one
(``git worktree add ../labels-segmenter 53ae524``) and pass its folder (``--segmenter-checkout``). A labelled
statement not found is named, with what to do, rather than mislabelled. ``--check`` prints, per posting, how many
of its labelled statements are found: a way to check postings fetched again (``evaluation/real_dev/FETCHING.md``).

Run ``python -m analyzer.realstatements ROUND1_FOLDER ROUND2_FOLDER [ROUND3_FOLDER] --out DIR [--segmenter-checkout
DIR]``. Round 3's statements (iteration 16) are for confirming only: score them, never fit on them.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import itertools
import json
import os
import random
import subprocess
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from analyzer.errors import AnalyzerError
from analyzer.mapping.mapper import Mapper
from analyzer.mapping.prose import calibration_bands, calibration_error, fit_prose_calibration, mean_log_odds
from analyzer.mapping.training import training_digest
from analyzer.model import RoleModel
from analyzer.modelprose import PROSE_CALIBRATION_KEY
from analyzer.records import StatementKind
from analyzer.roleeval import description_body, index_rows
from analyzer.segment import segment

SAMPLE_SIZE = 450
SAMPLE_SEED = 7
MIN_WORDS = 3  # shorter duty statements are fragments ("coach other members" is kept, "Our team" is not)
# Run from a checkout, as analyzer.evaluate is: the labels live in the repository (not in the wheel).
DEFAULT_LABELS = Path("evaluation") / "real_dev" / "statements_labels.csv"
FIELDS = ("id", "text", "labels", "level", "style", "note")
# Bands of the confidence as shown on real prose, which seldom goes above 0.7 (the classifier's bands: prose.BANDS).
SHOWN_BANDS = (0.0, 0.2, 0.3, 0.5, 0.7, 1.0001)
LABELS_COMMIT = "53ae524"  # the commit whose segmenter cut the labelled statements
# Run in another checkout's package (``--segmenter-checkout``): each posting's duty statements, as JSON.
_SEGMENT_SCRIPT = """
import json, sys
from pathlib import Path
from analyzer.records import StatementKind
from analyzer.segment import segment
out = {}
for name in sys.argv[2:]:
    body = (Path(sys.argv[1]) / name).read_text(encoding="utf-8").split("\\n", 1)
    out[name] = [s.text for s in segment(body[1] if len(body) > 1 else "") if s.kind is StatementKind.DUTY]
print(json.dumps(out))
"""


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def sample_statements(folder: Path, size: int = SAMPLE_SIZE, seed: int = SAMPLE_SEED,
                      segmenter_checkout: Path | None = None) -> list[tuple[str, str]]:
    """(file, statement) pairs: the duty statements of every posting listed in ``folder/index.csv`` (files in
    name order, each file's first line, its title, left out), shuffled with ``seed``, the first ``size``; segmented by
    this package or, with ``segmenter_checkout``, by that checkout's (:func:`duty_statements`). Round 3's statements
    were drawn in iteration 16 with the checkout of ``LABELS_COMMIT``, so that one checkout rebuilds all three rounds.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "index.csv").write_text("file\\na.txt\\n", encoding="utf-8")
    >>> text = "PM\\n- Own the roadmap for payments\\n- 5+ years of experience"
    >>> _ = (folder / "a.txt").write_text(text, encoding="utf-8")
    >>> sample_statements(folder)
    [('a.txt', 'Own the roadmap for payments')]
    """
    pairs = [(name, text) for name, texts in duty_statements(folder, segmenter_checkout).items() for text in texts
             if len(text.split()) >= MIN_WORDS]
    random.Random(seed).shuffle(pairs)
    return pairs[:size]


def read_labels(path: Path = DEFAULT_LABELS) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def posting_files(folder: Path, missing_ok: bool = False) -> list[str]:
    """The postings listed in ``folder/index.csv``, in name order; raises when the index is missing, or a posting
    unless ``missing_ok`` (then only those present are listed)."""
    rows = index_rows(folder, missing_ok=missing_ok, listed="postings",
                      expected="the folder of one round's postings with its index.csv",
                      fix="fetch them as evaluation/real_dev/FETCHING.md says")
    return sorted(row["file"] for row in rows)


def duty_statements(folder: Path, segmenter_checkout: Path | None = None, missing_ok: bool = False
                    ) -> dict[str, list[str]]:
    """Each posting's duty statements (the first line, its title, left out), segmented by this package or, with
    ``segmenter_checkout``, by the package in that folder (a checkout of ``LABELS_COMMIT``), in a process of its own.
    ``missing_ok``: postings not fetched yet are left out instead of raising."""
    files = posting_files(folder, missing_ok)
    if segmenter_checkout is None:
        found = {}
        for name in files:
            found[name] = [statement.text for statement in segment(description_body(folder / name))
                           if statement.kind is StatementKind.DUTY]
        return found
    checkout = Path(segmenter_checkout).resolve()
    if not (checkout / "analyzer" / "segment.py").exists():
        raise AnalyzerError(f"{checkout}: not a checkout of this project (no analyzer/segment.py); make one with "
                            f"git worktree add {checkout} {LABELS_COMMIT}")
    # Its commit, when it is the top of a git checkout of its own (an unpacked archive is taken on trust).
    top, _, head = subprocess.run(["git", "-C", str(checkout), "rev-parse", "--show-toplevel", "HEAD"],
                                  capture_output=True, text=True, check=False).stdout.strip().partition("\n")
    if top and Path(top).resolve() == checkout and not head.startswith(LABELS_COMMIT):
        raise AnalyzerError(f"{checkout} is a checkout of {head[:7]}, not of {LABELS_COMMIT}, whose segmenter cut the "
                            f"labelled statements; make one with git worktree add ../labels-segmenter {LABELS_COMMIT}")
    done = subprocess.run([sys.executable, "-c", _SEGMENT_SCRIPT, str(folder.resolve()), *files], cwd=checkout,
                          env={**os.environ, "PYTHONPATH": str(checkout)}, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise AnalyzerError(f"segmenting with the checkout in {checkout} failed ({last})")
    return json.loads(done.stdout)


def join_labels(statements: dict[str, list[str]], labels: Iterable[dict[str, str]], round_id: str,
                segmented_as_labelled: bool = False) -> dict[str, list[dict[str, str]]]:
    """Rows of ``statements_<round>[_<annotator>].csv`` per output name, from one round's duty statements per posting
    and the labels: each label's statement is the one of its posting with its hash.

    Raises :class:`AnalyzerError` naming every label whose statement is not found: the postings or (unless
    ``segmented_as_labelled``) the segmenter differ from those the labels were made on.
    """
    by_hash = {(name, text_hash(text)): text for name, texts in statements.items() for text in texts}
    out: dict[str, list[dict[str, str]]] = {}
    problems = []
    for label in labels:
        if label["round"] != round_id:
            continue
        text = by_hash.get((label["file"], label["text_sha1"]))
        if text is None:
            problems.append(label["id"])
            continue
        name = f"statements_r{round_id}" + (f"_{label['annotator']}" if label["annotator"] != "a" else "")
        out.setdefault(name, []).append({"id": label["id"], "text": text, "labels": label["labels"],
                                         "level": label["level"], "style": "real", "note": label["note"]})
    if problems:
        first = (f"{len(problems)} labelled statements of round {round_id} are not in the postings as segmented "
                 f"(first: {', '.join(problems[:5])}). ")
        refetch = "fetch them again as evaluation/real_dev/FETCHING.md says"
        if segmented_as_labelled:
            raise AnalyzerError(first + "Their postings differ from those labelled (--check names them): " + refetch)
        raise AnalyzerError(
            first + f"The labels were drawn with the segmenter of commit {LABELS_COMMIT}: check it out (git worktree "
            f"add ../labels-segmenter {LABELS_COMMIT}) and pass --segmenter-checkout ../labels-segmenter; if some are "
            "still missing, their postings differ from those labelled (--check names them): " + refetch)
    return out


def check_postings(statements: dict[str, list[str]], labels: Iterable[dict[str, str]], round_id: str
                   ) -> list[tuple[str, int, int]]:
    """(posting, labelled statements found, labelled statements) for each posting of a round with labels."""
    wanted: dict[str, set[str]] = {}
    for label in labels:
        if label["round"] == round_id:
            wanted.setdefault(label["file"], set()).add(label["text_sha1"])
    return [(name, len(hashes & {text_hash(text) for text in statements.get(name, ())}), len(hashes))
            for name, hashes in sorted(wanted.items())]


def rebuild(folders: dict[str, Path], out_dir: Path, labels_path: Path = DEFAULT_LABELS,
            segmenter_checkout: Path | None = None) -> list[Path]:
    """Write the labelled statements of each round (``{"1": folder, "2": folder, ...}``) to ``out_dir``."""
    labels = read_labels(labels_path)
    found = {round_id: join_labels(duty_statements(folder, segmenter_checkout), labels, round_id,
                                   segmented_as_labelled=segmenter_checkout is not None)
             for round_id, folder in folders.items()}
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for rows_by_name in found.values():
        for name, rows in rows_by_name.items():
            path = out_dir / f"{name}.csv"
            with path.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=FIELDS)
                writer.writeheader()
                writer.writerows(rows)
            written.append(path)
    return written


def agreement(first: list, second: list) -> tuple[int, int, int]:
    """How two labellings of the same statements agree: (rows the first holds a duty on, of those the second's
    main label is among the first's labels, rows where both agree whether any duty is held at all).

    ``first`` and ``second`` are :class:`analyzer.evaluate.LabelledStatement` lists with the same ids: the
    second annotator's main label is scored as a mapper's top-1 is, against the first's labels.
    """
    theirs = {row.id: row for row in second}
    held = [row for row in first if row.held and row.id in theirs]
    hits = sum(bool(theirs[row.id].labels) and theirs[row.id].labels[0] in row.held for row in held)
    same_kind = sum(bool(row.held) == bool(theirs[row.id].held) for row in first if row.id in theirs)
    return len(held), hits, same_kind


def print_more_statements(model: RoleModel, mapper: Mapper, paths: Sequence[Path], out=sys.stdout,
                          reference: bool = False) -> None:
    """One line per labelled statement file, its confidence calibration (how often the top class is right by
    calibrated confidence: on real postings the confidence runs higher than the share right, as the calibration is
    fitted on the model's own phrasings), the reference points' top-1 on it (with ``reference``), and how two files
    labelling the same statements agree."""
    from analyzer.evaluate import (
        calibration_lines,
        calibration_table,
        predict_statements,
        read_statements,
        score_statements,
    )
    from analyzer.reference import reference_scores

    p = lambda *a: print(*a, file=out)  # noqa: E731
    p("== Statement -> responsibility on more labelled statements ==")
    files = {path: read_statements(path) for path in paths}
    for path, rows in files.items():
        report = score_statements(model, rows, predict_statements(mapper, rows))
        hits = sum(style_hits for style_hits, _ in report.by_style.values())  # top-1 hits, counted by style
        p(f"{path.name}: top-1 {report.top1:.3f} ({hits}/{report.positives} held rows), "
          f"macro P/R/F1 {report.macro_precision:.3f} / {report.macro_recall:.3f} / {report.macro_f1:.3f}, "
          f"no duty left unmapped {report.abstention_rate:.3f} ({report.unlabelled} rows)")
        p("  by the classifier's probability (held duty rows):")
        for line in calibration_lines(calibration_table(mapper, rows), indent="    "):
            p(line)
        scale = model.confidence_scale(mapper.semantic)
        if not scale.is_identity:
            probabilities, right = prose_calibration_rows(mapper, rows)
            shown = [scale.shown(probability) for probability in probabilities]
            p(f"  as shown (the model's calibration on real prose, fitted on the development rounds' statements): "
              f"calibration error {calibration_error(probabilities, right):.3f} -> "
              f"{calibration_error(shown, right):.3f} on {len(right)} statements read as a duty with a responsibility "
              "on top")
            for line in calibration_lines(calibration_bands(shown, right, SHOWN_BANDS), indent="    "):
                p(line)
        if reference:
            scores = reference_scores(model, rows)
            p("  reference top-1: " + ", ".join(f"{name} {'-' if score is None else f'{score:.3f}'}"
                                               for name, score in scores.items()))
    for first, second in itertools.combinations(files, 2):
        if {row.id for row in files[first]} == {row.id for row in files[second]}:
            held, hits, same = agreement(files[first], files[second])
            p(f"{second.name} labels {first.name}'s statements: its main label is among the other's on {hits}/{held} "
              f"held rows ({hits / held if held else 0:.3f}); both say whether a duty is held on {same}/"
              f"{len(files[first])}")


def prose_calibration_rows(mapper: Mapper, rows: Sequence) -> tuple[list[float], list[bool]]:
    """(the classifier's probability, right) for every labelled statement the segmenter reads as a duty and whose top
    class is a responsibility: the mappings a user is shown, right when the annotator gives that responsibility."""
    from analyzer.mapping.training import FAMILY_PREFIX
    from analyzer.segment import classify_statement

    duties = [row for row in rows if classify_statement(row.text) is StatementKind.DUTY]
    pairs = [(mapping.best_score, mapping.best_guess in row.held)
             for row, mapping in zip(duties, mapper.map_statements([row.text for row in duties]), strict=True)
             if mapping.best_guess and not mapping.best_guess.startswith(FAMILY_PREFIX)]
    return [probability for probability, _ in pairs], [right for _, right in pairs]


def print_prose_calibration_fit(model: RoleModel, mapper: Mapper, paths: Sequence[Path],
                                probe_statements: Path | None = None, out=sys.stdout) -> None:
    """Fit the map of :mod:`analyzer.mapping.prose` on each labelled statement file and score it on the others, then on
    all of them (a file labelling the same statements as an earlier one, a second annotator's, is scored, not fitted
    on): the mapper's line for the model's ``confidence_on_real_prose``, with ``training_rows``, the digest of the
    phrasings the classifier learnt from, and, when ``probe_statements`` (the dev split) is given, what it reads on them
    (``dev_split_log_odds``)."""
    from analyzer.evaluate import read_statements

    p = lambda *a: print(*a, file=out)  # noqa: E731
    rows = {path: read_statements(path) for path in paths}
    data = {path: prose_calibration_rows(mapper, rows[path]) for path in paths}
    ids = {path: {row.id for row in rows[path]} for path in paths}
    fitted_on = [path for index, path in enumerate(paths)
                 if all(ids[path] != ids[earlier] for earlier in paths[:index])]
    kind = "semantic" if mapper.semantic else "default"
    p(f"== The {kind} mapper's confidence on real prose (statements read as a duty, a responsibility on top) ==")
    for path in fitted_on:
        fit = fit_prose_calibration(*data[path])
        p(f"fitted on {path.name} ({len(data[path][1])} statements): slope {fit.slope:.3f}, intercept "
          f"{fit.intercept:.3f}")
        for other in paths:
            if ids[other] != ids[path]:
                probabilities, right = data[other]
                shown = [fit.shown(probability) for probability in probabilities]
                p(f"  on {other.name}: calibration error {calibration_error(probabilities, right):.3f} -> "
                  f"{calibration_error(shown, right):.3f} ({len(right)} statements)")
    probabilities = [value for path in fitted_on for value in data[path][0]]
    right = [value for path in fitted_on for value in data[path][1]]
    fit = fit_prose_calibration(probabilities, right)
    p(f"fitted on {', '.join(path.name for path in fitted_on)} ({len(right)} statements), for the model file's "
      f"{PROSE_CALIBRATION_KEY}:")
    probe = (f", dev_split_log_odds: {dev_split_log_odds(mapper, probe_statements):.3f}"
             if probe_statements is not None else "")
    p(f"  {kind}: {{slope: {fit.slope:.3f}, intercept: {fit.intercept:.3f}, training_rows: \"{training_digest(model)}\""
      f"{probe}}}")
    if probe_statements is None:
        p("  (no dev split at hand: dev_split_log_odds left out, so no test can tell when the calibration goes stale)")


def dev_split_log_odds(mapper: Mapper, path: Path) -> float:
    """The mean log-odds of the confidence the mapper gives its top class on each statement of a labelled file (the
    dev split, ``evaluation/statements_dev.csv``): a fingerprint of the classifier a calibration is fitted for
    (:func:`analyzer.mapping.prose.mean_log_odds`)."""
    from analyzer.evaluate import read_statements

    return mean_log_odds([mapping.best_score
                          for mapping in mapper.map_statements([row.text for row in read_statements(path)])])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analyzer.realstatements", description=__doc__.split("\n\n")[0])
    parser.add_argument("round1", type=Path, help="folder of round 1's postings with its index.csv")
    parser.add_argument("round2", type=Path, help="folder of round 2's postings with its index.csv")
    parser.add_argument("round3", type=Path, nargs="?",
                        help="folder of round 3's postings with its index.csv (its statements confirm only)")
    parser.add_argument("--out", type=Path, help="folder to write statements_r*.csv to")
    parser.add_argument("--check", action="store_true",
                        help="print, per posting, how many of its labelled statements are found (writes nothing)")
    parser.add_argument("--segmenter-checkout", type=Path, metavar="DIR",
                        help=f"segment with the package of this checkout (of commit {LABELS_COMMIT}, whose segmenter "
                             "cut the labelled statements)")
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS)
    args = parser.parse_args(argv)
    if not args.check and args.out is None:
        parser.error("give --out DIR to write the statements, or --check")
    try:
        folders = {"1": args.round1, "2": args.round2, **({"3": args.round3} if args.round3 else {})}
        if args.check:
            labels = read_labels(args.labels)
            total = [0, 0]
            for round_id, folder in folders.items():
                statements = duty_statements(folder, args.segmenter_checkout, missing_ok=True)
                for name, found, labelled in check_postings(statements, labels, round_id):
                    state = "" if name in statements else "  (not fetched yet)"
                    print(f"round {round_id}  {name}  {found}/{labelled}{state}")
                    total = [total[0] + found, total[1] + labelled]
            print(f"found {total[0]} of {total[1]} labelled statements (a statement two annotators labelled counts "
                  "once)")
            return 0
        for path in rebuild(folders, args.out, args.labels, args.segmenter_checkout):
            print(path)
    except AnalyzerError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
