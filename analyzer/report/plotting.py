"""Shared matplotlib setup and colours for every figure in the reports.

Figures are drawn with the Agg backend into PNG bytes without metadata, with fixed fonts and sizes,
so the same analysis always gives the same bytes. The colours here are also used by the HTML and
XLSX renderers, so a RACI letter looks the same everywhere.
"""

from __future__ import annotations

import io
from contextlib import contextmanager
from typing import Any

DPI = 120

# RACI colours (dark to light blue), severities, and findings marks.
LEVEL_COLOURS = {"A": "#1b4f8a", "R": "#4a8fcf", "C": "#a9cbe9", "I": "#e4eef8", "": "#ffffff"}
LEVEL_TEXT = {"A": "#ffffff", "R": "#ffffff", "C": "#1d2430", "I": "#1d2430", "": "#1d2430"}
SEVERITY_COLOURS = {"high": "#c0392b", "medium": "#d68910", "low": "#2471a3", "info": "#7f8c8d"}
DROPPED_COLOUR = "#c0392b"
DROPPED_FILL = "#fbe3e0"
DUPLICATED_COLOUR = "#e67e22"
OWNER_COLOUR = "#e67e22"
INK = "#1d2430"
MUTED = "#5b6577"
GRID = "#dde2ea"
TEAM_COLOURS = ("#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#edc948", "#76b7b2", "#ff9da7", "#9c755f",
                "#e15759", "#bab0ac")

_RC = {
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.edgecolor": GRID,
    "axes.labelcolor": INK,
    "axes.titlesize": 10,
    "axes.titleweight": "bold",
    "axes.titlecolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "svg.hashsalt": "org-overlap-analyzer",
    "path.simplify": True,
}


@contextmanager
def pyplot():
    """matplotlib.pyplot on the Agg backend with the report's fixed style (restored afterwards)."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    with plt.rc_context(_RC):
        yield plt


def png_bytes(fig: Any) -> bytes:
    """The figure as PNG bytes without the 'Software' chunk (which carries the matplotlib version)."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    try:
        fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None}, facecolor="white")
    finally:
        plt.close(fig)
    return buffer.getvalue()


def team_colour(index: int) -> str:
    return TEAM_COLOURS[index % len(TEAM_COLOURS)]


def label_size(count: int, largest: float = 9.0, smallest: float = 6.0) -> float:
    """Tick label font size that keeps ``count`` labels legible: smaller as they get more numerous.

    Examples
    --------
    >>> label_size(10), label_size(80)
    (9.0, 6.0)
    """
    return float(max(smallest, min(largest, 9.0 - (count - 20) * 0.075)))
