"""What the CLI shows on the terminal: a progress spinner while it works and a short summary at the end.

Library code never prints; it calls a progress callback with a short message per stage. The CLI
passes a :class:`TerminalProgress`, which shows a spinner with the current stage and the elapsed time
on an interactive terminal, plain ``  stage...`` lines on stderr otherwise (CI logs), and nothing
when quiet. User text (names, explanations) is printed as plain text, never parsed as rich markup.
"""

from __future__ import annotations

import errno
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.text import Text

if TYPE_CHECKING:
    from analyzer.records import Analysis

SEVERITY_STYLES = {"high": "bold red", "medium": "yellow", "low": "cyan", "info": "dim"}


class _Console(Console):
    """A rich console that reports a reader gone away (``analyze ... | head -1``) as ``BrokenPipeError``.

    rich's own handling exits the process with status 1, and points standard output at /dev/null even when it
    was standard error that broke: a library must not exit, and the CLI decides (the work may well be done).
    """

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError(errno.EPIPE, "the reader of this output has gone")


class TerminalProgress:
    """A progress callback for :func:`analyzer.analyze` and :func:`analyzer.write_reports`.

    Use it as a context manager so the spinner stops (and disappears) even when a stage fails.

    Examples
    --------
    >>> with TerminalProgress(quiet=True) as say:
    ...     say("reading input")
    """

    def __init__(self, quiet: bool = False, console: Console | None = None):
        self.quiet = quiet
        self.console = console or _Console(file=sys.stderr, highlight=False)
        self._status: Any = None
        self._started = time.monotonic()
        self._stage = ""
        self._stage_started = self._started

    def __enter__(self) -> TerminalProgress:
        self._started = time.monotonic()
        if not self.quiet and self.console.is_terminal:
            self._status = self.console.status("starting", spinner="dots")
            self._status.start()
        return self

    def __call__(self, message: str) -> None:
        if self.quiet:
            return
        now = time.monotonic()
        if self._status is None:
            try:
                self.console.print(Text(f"  {message}..."), soft_wrap=True)
            except BrokenPipeError:  # nobody reads the progress any more (`... 2>&1 | head`): go on without it
                self.quiet = True
            return
        if self._stage:
            done = Text("  ✓ ", style="green") + Text(self._stage) + Text(f"  {now - self._stage_started:.1f}s",
                                                                           style="dim")
            self.console.print(done, soft_wrap=True)
        self._stage, self._stage_started = message, now
        self._status.update(Text(f"{message}...  ") + Text(f"{now - self._started:.0f}s", style="dim"))

    def __exit__(self, *exc_info: object) -> None:
        if self._status is not None:
            if self._stage and exc_info[0] is None:
                self.console.print(Text("  ✓ ", style="green") + Text(self._stage) +
                                   Text(f"  {time.monotonic() - self._stage_started:.1f}s", style="dim"),
                                   soft_wrap=True)
            self._status.stop()
            self._status = None


SHOWN_WARNINGS = 3  # the summary lists this many of the input's warnings; the report has them all


def print_summary(analysis: Analysis, out_dir: Path, written: Sequence[Path], console: Console | None = None) -> None:
    """The end-of-run summary: what was analysed, the findings, the three to read first, the report path."""
    from analyzer.report.views import summary

    out = console or _Console(file=sys.stdout, highlight=False)
    info = summary(analysis)
    default = analysis.model.default_min_confidence(analysis.semantic) if analysis.model else None
    threshold = "" if analysis.min_confidence in (None, default) else \
        f", mapping statements at a confidence of {analysis.min_confidence:g} or more"
    semantic = ", reading statements with sentence vectors too (--semantic)" if analysis.semantic else ""
    out.print(Text(f"Analysed {info.people} people ({info.skipped} rows skipped) with model "
                   f"{analysis.model_id} {analysis.model_version}{threshold}{semantic}."), soft_wrap=True)
    line = Text(f"Findings: {info.findings}")
    severities = [(sev, count) for sev, count in info.by_severity if count]
    if severities:
        line += Text(" (")
        for index, (sev, count) in enumerate(severities):
            line += Text(f"{count} {sev}", style=SEVERITY_STYLES[sev])
            if index < len(severities) - 1:
                line += Text(", ")
        line += Text(")")
    kinds = ", ".join(f"{count} {kind.replace('_', ' ')}" for kind, count in info.by_kind if count)
    if kinds:
        line += Text(f": {kinds}.")
    out.print(line, soft_wrap=True)
    for number, finding in enumerate(info.top, start=1):
        severity = finding.severity.value
        out.print(Text(f"  {number}. ") + Text(f"[{severity}]", style=SEVERITY_STYLES[severity]) +
                  Text(f" {finding.explanation}"), soft_wrap=True)
    if analysis.warnings:  # problems with the input the analysis could live with: worth reading before the findings
        shown = analysis.warnings[:SHOWN_WARNINGS]
        more = len(analysis.warnings) - len(shown)
        out.print(Text(f"Warnings: {len(analysis.warnings)}", style="yellow") +
                  Text(f" (the first {len(shown)}; all in the report)" if more else ""), soft_wrap=True)
        for warning in shown:
            out.print(Text(f"  - {warning}"), soft_wrap=True)
    reasons = getattr(analysis, "column_reasons", None) or {}
    for column_field, column in sorted(analysis.columns.items()):
        reason = reasons.get(column_field)
        out.print(Text(f"  column {column_field!s:<8} <- {column!r}{f' ({reason})' if reason else ''}", style="dim"),
                  soft_wrap=True)
    folder = str(out_dir)
    top_level = [path.name for path in written if path.parent == Path(out_dir)]
    folders: dict[str, int] = {}
    for path in written:
        if path.parent != Path(out_dir):
            folders[path.parent.name] = folders.get(path.parent.name, 0) + 1
    names = ", ".join([*top_level, *(f"{name}/ ({count} files)" for name, count in folders.items())])
    out.print(Text("Report: ", style="bold") + Text(f"{folder}{'' if folder.endswith('/') else '/'}") +
              Text(f" ({names})" if names else "", style="dim"), soft_wrap=True)
    html = [path for path in written if path.name == "report.html"]
    if html:
        out.print(Text("Open ", style="bold") + Text(str(html[0]), style="underline"), soft_wrap=True)
