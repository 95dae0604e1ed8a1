"""Evaluation: how well the mapper reads job descriptions, on data kept apart from the model.

Usage::

    python -m analyzer.evaluate                       # statements: evaluation/statements_test.csv
    python -m analyzer.evaluate --split dev           # the development split (for error analysis)
    python -m analyzer.evaluate --jds ../shared/real_jds   # also: role from content on published JDs
    python -m analyzer.evaluate --reference           # also: TF-IDF and MiniLM reference rows
    python -m analyzer.evaluate --adverts             # also: role from content on the model's example
                                                      #   adverts, each set left out of training in turn
    python -m analyzer.evaluate --adverts-cut 8 5     # also: the same adverts cut to their first 8 and 5
                                                      #   duty statements (short descriptions)
    python -m analyzer.evaluate --held-adverts        # also: role from content on the held-out adverts
                                                      #   (evaluation/adverts/*/, never trained on)
    python -m analyzer.evaluate --statements F.csv    # also: more labelled statements (real postings':
                                                      #   python -m analyzer.realstatements)

Statement metrics (rows of ``evaluation/statements_<split>.csv``; see ``evaluation/README.md``):

- top-1 accuracy: rows where the reader holds at least one responsibility (level A/R/C/I); correct
  when the mapper's strongest reader-level responsibility is one of the gold labels (no prediction
  counts as wrong).
- per-responsibility precision/recall/F1 and their macro average, multi-label, over every row:
  predictions are the responsibilities the reader holds after segmentation (requirement and
  boilerplate statements are not mapped), clause reading (negation, other subjects) and the
  confidence threshold. Gold sets are empty for level X rows (mentioned, not held) and for
  requirement, boilerplate and other-family rows.
- RACI wording level accuracy on rows whose top-1 is correct; exclusion rate on X rows; abstention
  rate on rows with no label; top-1 by phrasing style (``style`` column).

Role metrics (a folder of job descriptions with its ``index.csv``; :mod:`analyzer.roleeval`): role from content
alone on the role-labelled ones, "other" kept out on the rest, per role the descriptions labelled, named and
right, and the misreadings; apart, the role as ``analyze`` names it from title and content together.

The held-out files are never read by the classifier's training (``analyzer.mapping.classifier``
learns only from ``models/*.yaml``); ``tests/test_evaluation.py`` checks that no held-out
sentence appears among the model's phrasings.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from analyzer.errors import AnalyzerError
from analyzer.mapping.mapper import Mapper
from analyzer.mapping.prose import BANDS, calibration_bands
from analyzer.model import RoleModel, load_model
from analyzer.records import StatementKind
from analyzer.roleeval import evaluate_adverts_cut, evaluate_jds, print_cut_summary, print_jd_report
from analyzer.segment import classify_statement

# Run from a checkout: the held-out files live in the repository's evaluation/ folder (not in the wheel).
DEFAULT_EVAL_DIR = Path("evaluation")


@dataclass(frozen=True)
class LabelledStatement:
    id: str
    text: str
    labels: tuple[str, ...]
    level: str  # A R C I X or -
    style: str

    @property
    def held(self) -> frozenset[str]:
        """Responsibilities the reader holds (empty for X rows and unlabelled rows)."""
        return frozenset(self.labels) if self.level in ("A", "R", "C", "I") else frozenset()


@dataclass
class StatementReport:
    rows: int
    positives: int
    top1: float
    macro_precision: float
    macro_recall: float
    macro_f1: float
    per_class: dict[str, tuple[float, float, float, int]]  # id -> (p, r, f1, support)
    confusions: list[tuple[tuple[str, str], int]]
    level_accuracy: float
    exclusion_rate: float
    abstention_rate: float
    errors: list[tuple[LabelledStatement, str]] = field(default_factory=list)
    unlabelled: int = 0  # rows with no responsibility of the reader's and no exclusion: the abstention rate's rows
    by_style: dict[str, tuple[int, int]] = field(default_factory=dict)  # style -> (top-1 hits, held rows)


def read_statements(path: Path) -> list[LabelledStatement]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            LabelledStatement(
                id=row["id"], text=row["text"],
                labels=tuple(label for label in row["labels"].split(";") if label),
                level=row["level"].strip(), style=row.get("style", ""),
            )
            for row in csv.DictReader(handle)
        ]


def predict_statements(mapper: Mapper, rows: list[LabelledStatement]) -> list[tuple[list[str], str | None]]:
    """For each row: (held responsibilities strongest first, wording level of the strongest)."""
    duty_texts = [row.text for row in rows if classify_statement(row.text) is StatementKind.DUTY]
    mapped = dict(zip(duty_texts, mapper.map_statements(duty_texts), strict=True))
    results = []
    for row in rows:
        mapping = mapped.get(row.text)
        if mapping is None:
            results.append(([], None))
            continue
        reader = [m for m in mapping.matches if m.subject is None and m.level is not None]
        reader.sort(key=lambda m: -m.score)
        results.append(([m.responsibility for m in reader], reader[0].level.value if reader else None))
    return results


def calibration_table(mapper: Mapper, rows: list[LabelledStatement], edges: tuple[float, ...] = BANDS
                      ) -> list[tuple[float, float, int, float, float]]:
    """How often the classifier's top class is right, by its calibrated confidence, on held duty rows.

    Returns (low, high, rows, mean confidence, share right) per confidence band
    (:func:`analyzer.mapping.prose.calibration_bands`): a calibrated confidence of 0.6 should be right about 60% of
    the time. The top class is the statement's best guess, mapped or not.
    """
    held = [row for row in rows if row.held and classify_statement(row.text) is StatementKind.DUTY]
    mappings = mapper.map_statements([row.text for row in held])
    return calibration_bands([mapping.best_score for mapping in mappings],
                             [mapping.best_guess in row.held for row, mapping in zip(held, mappings, strict=True)],
                             edges)


def calibration_lines(table: list[tuple[float, float, int, float, float]], indent: str = "  ") -> list[str]:
    """One line per confidence band of :func:`calibration_table` (or of
    :func:`analyzer.mapping.prose.calibration_bands`)."""
    return [f"{indent}confidence {low:.1f}-{high:.1f}: {count:>4} rows, top class right {right:.2f}"
            for low, high, count, _, right in table]


def score_statements(model: RoleModel, rows: list[LabelledStatement],
                     predictions: list[tuple[list[str], str | None]]) -> StatementReport:
    classes = list(model.responsibility_ids)
    tp, fp, fn = Counter(), Counter(), Counter()
    correct_top1 = positives = level_hits = level_total = 0
    excluded = x_rows = abstained = unlabelled = 0
    confusions: Counter = Counter()
    errors = []
    style_hits, style_rows = Counter(), Counter()
    for row, (predicted, level) in zip(rows, predictions, strict=True):
        gold = row.held
        predicted_set = set(predicted)
        for label in classes:
            if label in predicted_set and label in gold:
                tp[label] += 1
            elif label in predicted_set:
                fp[label] += 1
            elif label in gold:
                fn[label] += 1
        if gold:
            positives += 1
            top = predicted[0] if predicted else "(none)"
            style_rows[row.style] += 1
            style_hits[row.style] += int(top in gold)
            if top in gold:
                correct_top1 += 1
                level_total += 1
                level_hits += int(level == row.level)
            else:
                confusions[(sorted(gold)[0], top)] += 1
                errors.append((row, top))
        elif row.level == "X":
            x_rows += 1
            excluded += int(not (predicted_set & set(row.labels)))
        else:
            unlabelled += 1
            abstained += int(not predicted)
    per_class = {}
    for label in classes:
        precision = tp[label] / (tp[label] + fp[label]) if tp[label] + fp[label] else 0.0
        recall = tp[label] / (tp[label] + fn[label]) if tp[label] + fn[label] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[label] = (precision, recall, f1, tp[label] + fn[label])
    supported = [label for label in classes if per_class[label][3] > 0]
    return StatementReport(
        rows=len(rows), positives=positives,
        top1=correct_top1 / positives if positives else 0.0,
        macro_precision=_mean(per_class[label][0] for label in supported),
        macro_recall=_mean(per_class[label][1] for label in supported),
        macro_f1=_mean(per_class[label][2] for label in supported),
        per_class=per_class, confusions=confusions.most_common(15),
        level_accuracy=level_hits / level_total if level_total else 0.0,
        exclusion_rate=excluded / x_rows if x_rows else 0.0,
        abstention_rate=abstained / unlabelled if unlabelled else 0.0,
        errors=errors, unlabelled=unlabelled,
        by_style={style: (style_hits[style], style_rows[style]) for style in sorted(style_rows)},
    )


def _mean(values) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def print_statement_report(report: StatementReport, split: str, out=sys.stdout, show_errors: int = 0) -> None:
    p = lambda *a: print(*a, file=out)  # noqa: E731
    p(f"== Statement -> responsibility ({split} split: {report.rows} rows, {report.positives} held) ==")
    p(f"top-1 accuracy            {report.top1:.3f}")
    p(f"macro precision / recall  {report.macro_precision:.3f} / {report.macro_recall:.3f}")
    p(f"macro F1                  {report.macro_f1:.3f}")
    p(f"RACI level accuracy       {report.level_accuracy:.3f}  (wording level on rows with a correct top-1)")
    p(f"exclusion rate (X rows)   {report.exclusion_rate:.3f}  (negated / someone else: nothing held)")
    p(f"abstention (no label)     {report.abstention_rate:.3f}  (requirements, boilerplate, other jobs)")
    p("")
    p(f"{'responsibility':<32} {'prec':>6} {'rec':>6} {'F1':>6} {'n':>4}")
    for label, (precision, recall, f1, support) in report.per_class.items():
        p(f"{label:<32} {precision:>6.2f} {recall:>6.2f} {f1:>6.2f} {support:>4}")
    if report.by_style:
        p("")
        p("top-1 by style (held rows):")
        for style, (hits, rows) in report.by_style.items():
            p(f"  {style:<16} {hits / rows:.2f}  ({hits}/{rows})")
    if report.confusions:
        p("")
        p("most frequent confusions (gold -> predicted top-1):")
        for (gold, predicted), count in report.confusions:
            p(f"  {count:>3}  {gold} -> {predicted}")
    for row, top in report.errors[:show_errors]:
        p(f"  [{row.id}] gold={','.join(row.labels)} got={top}: {row.text}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analyzer.evaluate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=("test", "dev"), default="test")
    parser.add_argument("--eval-dir", type=Path, default=DEFAULT_EVAL_DIR, help="folder of statements_<split>.csv")
    parser.add_argument("--jds", type=Path, nargs="+", metavar="FOLDER",
                        help="folders of published JDs with index.csv (e.g. ../shared/real_jds; the development "
                             "set listed in evaluation/real_dev, once its texts are fetched)")
    parser.add_argument("--adverts", action="store_true",
                        help="also: role from content on the model's example adverts, leaving one set out at a time")
    parser.add_argument("--adverts-cut", type=int, nargs="+", metavar="N",
                        help="also: role from content on the model's adverts cut to their first N duty statements "
                             "(e.g. 8 5), each set left out of training")
    parser.add_argument("--held-adverts", action="store_true",
                        help="also: role from content on the held-out adverts in EVAL_DIR/adverts/*/ (not trained on)")
    parser.add_argument("--statements", type=Path, nargs="+", metavar="CSV",
                        help="also: more labelled statement files in the layout of statements_test.csv (e.g. the "
                             "real postings' statements written by python -m analyzer.realstatements)")
    parser.add_argument("--fit-prose-calibration", action="store_true",
                        help="with --statements: fit the map of the mapper's confidence onto real prose on each file, "
                             "score it on the others, and print the numbers for the model's confidence_on_real_prose")
    parser.add_argument("--model", type=Path, help="role model (default: bundled)")
    parser.add_argument("--reference", action="store_true", help="also print the TF-IDF / MiniLM reference rows")
    parser.add_argument("--errors", type=int, default=0, help="print this many misclassified rows")
    parser.add_argument("--min-confidence", type=float, metavar="P",
                        help="map statements at this confidence or more, on the scale shown to users (default: the "
                             "model's)")
    parser.add_argument("--semantic", action="store_true",
                        help="score the semantic mapper (MiniLM sentence vectors beside the wording; needs the "
                             "semantic extra)")
    args = parser.parse_args(argv)
    if args.fit_prose_calibration and not args.statements:
        parser.error("--fit-prose-calibration fits on labelled statements: give them with --statements CSV...")
    try:
        model = load_model(args.model)
        started = time.perf_counter()
        mapper = Mapper(model, semantic=args.semantic).with_min_confidence(args.min_confidence)
        _print_reports(args, model, mapper, started)
    except AnalyzerError as exc:  # a model file's problems; a folder of job descriptions without its index or files
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def _print_reports(args: argparse.Namespace, model: RoleModel, mapper: Mapper, started: float) -> None:
    kind = "semantic mapper" if mapper.semantic else "mapper"
    print(f"model {model.id} {model.version}; {kind} trained in {time.perf_counter() - started:.1f} s; statements "
          f"mapped at a confidence of {mapper.min_confidence:g} or more (the classifier's probability "
          f"{mapper.classifier.threshold:.3g} or more)")
    path = args.eval_dir / f"statements_{args.split}.csv"
    if path.exists():
        rows = read_statements(path)
        report = score_statements(model, rows, predict_statements(mapper, rows))
        print_statement_report(report, args.split, show_errors=args.errors)
        print()
        print(f"confidence calibration (held duty rows; bands of the classifier's probability, unmapped below "
              f"{mapper.classifier.threshold:.3g}):")
        for line in calibration_lines(calibration_table(mapper, rows)):
            print(line)
        if args.reference:
            from analyzer.reference import reference_rows

            print()
            reference_rows(model, rows)
    else:
        print(f"(no {path}; statement evaluation skipped)")
    if args.statements:
        from analyzer.realstatements import print_more_statements

        print()
        print_more_statements(model, mapper, args.statements, reference=args.reference)
        if args.fit_prose_calibration:
            from analyzer.realstatements import print_prose_calibration_fit

            print()
            dev_split = args.eval_dir / "statements_dev.csv"
            print_prose_calibration_fit(model, mapper, args.statements, dev_split if dev_split.exists() else None)
    # One classifier per set serves the whole adverts and every cut: --adverts and --adverts-cut share them.
    cut_results = (evaluate_adverts_cut(mapper, model, [None, *(args.adverts_cut or ())])
                   if args.adverts or args.adverts_cut else {})
    if args.adverts:
        all_results = []
        for group, results in cut_results[None].items():
            print()
            print_jd_report(results, heading=f"the model's adverts {group}, learnt without them", misses_only=True)
            all_results += results
        print()
        print_jd_report(all_results, heading="all the model's adverts, each set left out in turn", misses_only=True)
    if args.adverts_cut:
        print()
        print_cut_summary(cut_results)
    if args.held_adverts:
        held = sorted(path.parent for path in (args.eval_dir / "adverts").glob("*/index.csv"))
        if not held:
            print(f"\n(no {args.eval_dir / 'adverts'}/*/index.csv; held-out adverts skipped)")
        all_held = []
        for folder in held:
            results = evaluate_jds(mapper, model, folder)
            print()
            print_jd_report(results, heading=f"held-out adverts {folder.name}", misses_only=True)
            all_held += results
        if len(held) > 1:
            print()
            print_jd_report(all_held, heading=f"all {len(held)} sets of held-out adverts", misses_only=True)
    for folder in args.jds or ():
        print()
        print_jd_report(evaluate_jds(mapper, model, folder), heading=f"published JDs in {folder}")


if __name__ == "__main__":
    raise SystemExit(main())
