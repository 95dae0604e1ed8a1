"""Shared matplotlib setup and colours for every figure in the reports.

Figures are drawn with the Agg backend into PNG bytes without metadata, with fixed fonts and sizes,
so the same analysis always gives the same bytes. The colours here are also used by the HTML and
XLSX renderers, so a RACI letter looks the same everywhere.
"""

from __future__ import annotations

from collections.abc import Iterator
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
    # Glyph outlines unhinted: matplotlib 3.11 re-runs DejaVu's TrueType hinting program for every glyph
    # it lays out and draws, most of a figure's time; at 120 dpi the text looks the same (a little narrower).
    "text.hinting": "no_hinting",
}


@contextmanager
def figure(figsize: tuple[float, float]) -> Iterator[Any]:
    """A matplotlib ``Figure`` on its own Agg canvas, drawn in the report's fixed style.

    No pyplot: pyplot keeps a registry of open figures and a current figure, and importing it sets up
    a backend; a figure with its own canvas needs none of that. The style applies while the figure is
    built and drawn, so draw it (:func:`png_bytes`) inside the ``with`` block.
    """
    import matplotlib as mpl
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with mpl.rc_context(_RC):
        fig = Figure(figsize=figsize, dpi=DPI)  # laid out at the dpi it is drawn at: text is measured once
        FigureCanvasAgg(fig)
        yield fig


def png_bytes(fig: Any) -> bytes:
    """The figure drawn at :data:`DPI` on white, as PNG bytes (RGB, no text chunks).

    The pixels of ``savefig(format="png", dpi=DPI, facecolor="white")``, drawn once (savefig first makes a
    dry-run draw for layout engines, which these figures do not use: their layout is fixed before drawing)
    and encoded by :func:`encode_png`. No 'Software' chunk naming matplotlib's version: the same bytes on
    every install.
    """
    import numpy as np

    fig.set_facecolor("white")
    canvas = fig.canvas
    canvas.draw()
    return encode_png(np.asarray(canvas.buffer_rgba())[:, :, :3], DPI)


def encode_png(rgb: Any, dpi: float) -> bytes:
    """An RGB image (height x width x 3 array of uint8) as PNG bytes, rows unfiltered, zlib level 1.

    Figures are mostly flat colour, which deflate packs well without PNG's row filters: this is three
    times faster than Pillow's encoder (which tries filters per row) and the files come out smaller.

    Examples
    --------
    >>> import io, numpy as np
    >>> from PIL import Image
    >>> pixels = np.arange(24, dtype=np.uint8).reshape(2, 4, 3)
    >>> image = Image.open(io.BytesIO(encode_png(pixels, 120)))
    >>> bool((np.asarray(image) == pixels).all()), round(image.info["dpi"][0])
    (True, 120)
    """
    import struct
    import zlib

    import numpy as np

    height, width, _ = rgb.shape
    rows = np.zeros((height, 1 + 3 * width), dtype=np.uint8)  # a 0 before each row: filter type None
    rows[:, 1:] = np.asarray(rgb, dtype=np.uint8).reshape(height, 3 * width)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    per_metre = int(dpi / 0.0254 + 0.5)
    return b"".join((b"\x89PNG\r\n\x1a\n",
                     chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)),
                     chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1)),
                     chunk(b"IDAT", zlib.compress(rows.tobytes(), 1)),
                     chunk(b"IEND", b"")))


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
