"""Screenshot a report at desktop width: ``python -m analyzer.report.screenshot reports/acme/report.html``.

Writes ``report.png`` next to the report (or ``--out``), the viewport by default or the whole page with
``--full-page``, and lists any console error or outside request the page made; exit code 1 when there
was one, 2 when Chromium is missing. Needs the Debian ``chromium`` package (``.ci/install_browser.sh``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analyzer.errors import AnalyzerError
from analyzer.report.browser import render_page


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analyzer.report.screenshot",
                                     description="Render report.html in headless Chromium and save a PNG.")
    parser.add_argument("html", help="the report.html to render")
    parser.add_argument("--out", metavar="PNG", help="where to save the screenshot (default: next to the report)")
    parser.add_argument("--width", type=int, default=1400, help="viewport width in CSS pixels (default: 1400)")
    parser.add_argument("--height", type=int, default=2000, help="viewport height in CSS pixels (default: 2000)")
    parser.add_argument("--full-page", action="store_true", help="capture the whole page, not only the viewport")
    parser.add_argument("--print", dest="media", action="store_const", const="print", default="screen",
                        help="show the print layout (CSS @media print) instead of the screen layout")
    args = parser.parse_args(argv)
    out = Path(args.out) if args.out else Path(args.html).with_name("report.png")
    try:
        report = render_page(args.html, width=args.width, height=args.height, full_page=args.full_page,
                             media=args.media)
    except AnalyzerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    out.write_bytes(report.screenshot)
    print(f"{out} ({args.width} x {report.height if args.full_page else args.height} CSS pixels)")
    problems = report.errors + [f"outside request: {url}" for url in report.external_requests]
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
