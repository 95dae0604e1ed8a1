"""Command line: ``analyze INPUT [options]``.

The CLI only parses arguments, calls the library, renders a summary, and turns an
:class:`~analyzer.errors.AnalyzerError` into one line ``error: ...`` on stderr with exit code 2.
Heavy imports happen after argument parsing so that ``analyze --help`` is instant.
"""

from __future__ import annotations

import argparse
import sys
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
        epilog="Example: analyze orgs/acme.csv --out reports/acme --format html,json",
    )
    parser.add_argument("input", help="HR export (CSV, XLSX or JSON)")
    parser.add_argument("--out", metavar="DIR", help="report folder (default: reports/<input name>/)")
    parser.add_argument("--format", metavar="LIST", dest="formats",
                        help="comma-separated report formats: html,md,json,csv,png (default: all)")
    parser.add_argument("--model", metavar="PATH", help="role model YAML file (default: the bundled product_org model)")
    for field, what in (("title", "job title"), ("text", "job description"), ("id", "employee id"),
                        ("team", "team or department"), ("manager", "manager id or name"), ("name", "person's name")):
        parser.add_argument(f"--{field}-column", metavar="C", help=f"column holding the {what} (default: detected)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from analyzer.errors import AnalyzerError

    try:
        return _run(args)
    except AnalyzerError as exc:
        print(f"error: {_one_line(str(exc))}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return EXIT_USAGE


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _run(args: argparse.Namespace) -> int:
    from analyzer.ingest import ColumnChoice
    from analyzer.model import load_model
    from analyzer.pipeline import analyze
    from analyzer.report import parse_formats, write_reports

    formats = parse_formats(args.formats)
    model = load_model(args.model)
    columns = ColumnChoice(id=args.id_column, name=args.name_column, title=args.title_column,
                           team=args.team_column, manager=args.manager_column, text=args.text_column)
    out_dir = Path(args.out) if args.out else Path("reports") / Path(args.input).stem
    say = (lambda message: None) if args.quiet else (lambda message: print(f"  {message}...", file=sys.stderr))
    analysis = analyze(args.input, model=model, columns=columns, progress=say)
    written = write_reports(analysis, out_dir, formats)
    if not args.quiet:
        _print_summary(analysis, out_dir, written)
    return EXIT_OK


def _print_summary(analysis, out_dir: Path, written: list[Path]) -> None:
    from analyzer.report.views import summary

    info = summary(analysis)
    kinds = ", ".join(f"{count} {kind}" for kind, count in info.by_kind if count) or "none"
    print(f"Analysed {info.people} people ({info.skipped} rows skipped) with model "
          f"{analysis.model_id} {analysis.model_version}.")
    print(f"Findings: {info.findings} ({kinds}).")
    for number, finding in enumerate(info.top, start=1):
        print(f"  {number}. [{finding.severity.value}] {finding.explanation}")
    for column_field, column in sorted(analysis.columns.items()):
        print(f"  column {column_field!s:<8} <- {column!r}")
    print(f"Report: {out_dir}{'/' if not str(out_dir).endswith('/') else ''} "
          f"({', '.join(path.name for path in written)})")


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
