"""The report stage: write an :class:`Analysis` as files (HTML, Markdown, JSON, CSV, PNG).

Renderers only read the analysis. Every writer is deterministic: the same analysis gives the same bytes.
"""

from __future__ import annotations

from pathlib import Path

from analyzer.errors import UsageError
from analyzer.records import Analysis

FORMATS = ("html", "md", "json", "csv", "png")
DEFAULT_FORMATS = FORMATS


def parse_formats(value: str | None) -> tuple[str, ...]:
    """'html,json' -> ('html', 'json'); raises :class:`UsageError` for unknown names."""
    if value is None or not value.strip():
        return DEFAULT_FORMATS
    wanted = [part.strip().lower() for part in value.split(",") if part.strip()]
    unknown = [part for part in wanted if part not in FORMATS]
    if unknown:
        raise UsageError(f"unknown report format {', '.join(map(repr, unknown))}; "
                         f"choose from {', '.join(FORMATS)} (comma-separated)")
    return tuple(dict.fromkeys(wanted))


def write_reports(analysis: Analysis, out_dir: str | Path, formats: tuple[str, ...] = DEFAULT_FORMATS) -> list[Path]:
    """Write the requested report files into ``out_dir`` (created if needed); returns their paths."""
    from analyzer.report.heatmaps import role_coverage_png
    from analyzer.report.html import to_html
    from analyzer.report.json_report import to_json
    from analyzer.report.markdown import to_markdown
    from analyzer.report.matrix import matrix_csv

    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create the output folder {str(out)!r}: {exc.strerror}; "
                         "choose another folder with --out") from None
    written: list[Path] = []
    images: dict[str, bytes] = {}
    if "png" in formats or "html" in formats:
        images["Role x responsibility coverage"] = role_coverage_png(analysis)

    def write(name: str, content: str | bytes) -> None:
        path = out / name
        try:
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8", newline="\n")
        except OSError as exc:
            raise UsageError(f"cannot write {str(path)!r}: {exc.strerror}; check the folder's permissions") from None
        written.append(path)

    if "json" in formats:
        write("report.json", to_json(analysis))
    if "md" in formats:
        write("report.md", to_markdown(analysis))
    if "html" in formats:
        write("report.html", to_html(analysis, images))
    if "csv" in formats:
        write("responsibility_matrix.csv", matrix_csv(analysis))
    if "png" in formats:
        write("heatmap_role_coverage.png", images["Role x responsibility coverage"])
    return written
