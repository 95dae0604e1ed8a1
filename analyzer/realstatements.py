"""Statements of real postings, labelled by hand, rebuilt from their texts (which the repository cannot hold).

``evaluation/real_dev/statements_labels.csv`` labels a sample of the duty statements of the real postings
listed in ``evaluation/real_dev/index.csv``: 450 per round, drawn by :func:`sample_statements`, each label
tied to its statement by the SHA-1 of the text. The texts stay outside the repository (most of their sources
state no licence that allows copying them), so :func:`rebuild` segments a folder of the fetched postings
again, draws the same sample, checks every hash and writes ``statements_<round>[_<annotator>].csv`` in the layout of
``evaluation/statements_test.csv`` (``id,text,labels,level,style,note``). ``python -m analyzer.evaluate
--statements`` then scores them.

The sample depends on the segmenter: a later change to segmentation can change which statements are
drawn, and :func:`rebuild` then names the rows whose text no longer matches instead of mislabelling them.

Run ``python -m analyzer.realstatements ROUND1_FOLDER ROUND2_FOLDER --out DIR``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import itertools
import random
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from analyzer.errors import AnalyzerError
from analyzer.mapping.mapper import Mapper
from analyzer.model import RoleModel
from analyzer.records import StatementKind
from analyzer.segment import segment

SAMPLE_SIZE = 450
SAMPLE_SEED = 7
MIN_WORDS = 3  # shorter duty statements are fragments ("coach other members" is kept, "Our team" is not)
# Run from a checkout, as analyzer.evaluate is: the labels live in the repository (not in the wheel).
DEFAULT_LABELS = Path("evaluation") / "real_dev" / "statements_labels.csv"
FIELDS = ("id", "text", "labels", "level", "style", "note")


def text_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def sample_statements(folder: Path, size: int = SAMPLE_SIZE, seed: int = SAMPLE_SEED) -> list[tuple[str, str]]:
    """(file, statement) pairs: the duty statements of every posting listed in ``folder/index.csv`` (files in
    name order, each file's first line, its title, left out), shuffled with ``seed``, the first ``size``.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "index.csv").write_text("file\\na.txt\\n", encoding="utf-8")
    >>> text = "PM\\n- Own the roadmap for payments\\n- 5+ years of experience"
    >>> _ = (folder / "a.txt").write_text(text, encoding="utf-8")
    >>> sample_statements(folder)
    [('a.txt', 'Own the roadmap for payments')]
    """
    index = folder / "index.csv"
    if not index.exists():
        raise AnalyzerError(f"{index}: no index.csv; give the folder of one round's postings with its index.csv")
    with index.open(encoding="utf-8", newline="") as handle:
        files = sorted(row["file"] for row in csv.DictReader(handle))
    pairs = []
    for name in files:
        path = folder / name
        if not path.exists():
            raise AnalyzerError(f"{path}: listed in {index} but missing; fetch it as evaluation/real_dev/README.md "
                                "says")
        body = path.read_text(encoding="utf-8").split("\n", 1)
        pairs += [(name, statement.text) for statement in segment(body[1] if len(body) > 1 else "")
                  if statement.kind is StatementKind.DUTY and len(statement.text.split()) >= MIN_WORDS]
    random.Random(seed).shuffle(pairs)
    return pairs[:size]


def read_labels(path: Path = DEFAULT_LABELS) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def join_labels(sample: list[tuple[str, str]], labels: Iterable[dict[str, str]], round_id: str
                ) -> dict[str, list[dict[str, str]]]:
    """Rows of ``statements_<round>[_<annotator>].csv`` per output name, from one round's sample and the labels.

    Raises :class:`AnalyzerError` listing every label whose statement is not the one drawn (another file,
    another text): the postings or the segmenter differ from those the labels were made on.
    """
    by_id = {f"r{round_id}-{index:04d}": pair for index, pair in enumerate(sample)}
    out: dict[str, list[dict[str, str]]] = {}
    problems = []
    for label in labels:
        if label["round"] != round_id:
            continue
        drawn = by_id.get(label["id"])
        if drawn is None or drawn[0] != label["file"] or text_hash(drawn[1]) != label["text_sha1"]:
            problems.append(label["id"])
            continue
        name = f"statements_r{round_id}" + (f"_{label['annotator']}" if label["annotator"] != "a" else "")
        out.setdefault(name, []).append({"id": label["id"], "text": drawn[1], "labels": label["labels"],
                                         "level": label["level"], "style": "real", "note": label["note"]})
    if problems:
        raise AnalyzerError(
            f"{len(problems)} labelled statements of round {round_id} are not those drawn from the postings given "
            f"(first: {', '.join(problems[:5])}); the texts or the segmenter differ from those labelled. Fetch the "
            "postings at the commits in index.csv, or run this at the commit that wrote the labels")
    return out


def rebuild(folders: dict[str, Path], out_dir: Path, labels_path: Path = DEFAULT_LABELS) -> list[Path]:
    """Write the labelled statements of each round (``{"1": folder, "2": folder}``) to ``out_dir``."""
    labels = read_labels(labels_path)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for round_id, folder in folders.items():
        for name, rows in join_labels(sample_statements(folder), labels, round_id).items():
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
          f"no duty left unmapped {report.abstention_rate:.3f} ({report.rows - report.positives} rows)")
        for line in calibration_lines(calibration_table(mapper, rows), indent="    "):
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analyzer.realstatements", description=__doc__.split("\n\n")[0])
    parser.add_argument("round1", type=Path, help="folder of round 1's postings with its index.csv")
    parser.add_argument("round2", type=Path, help="folder of round 2's postings with its index.csv")
    parser.add_argument("--out", type=Path, required=True, help="folder to write statements_r*.csv to")
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS)
    args = parser.parse_args(argv)
    try:
        for path in rebuild({"1": args.round1, "2": args.round2}, args.out, args.labels):
            print(path)
    except AnalyzerError as error:
        print(f"error: {error}")
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
