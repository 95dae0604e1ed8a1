"""The three heatmaps as PNG bytes: role x responsibility, team x responsibility, person x person.

Responsibilities run down the rows (horizontal labels stay readable for a 39-responsibility model);
roles and teams run across. Every function returns deterministic PNG bytes (see
:mod:`analyzer.report.plotting`).
"""

from __future__ import annotations

import numpy as np

from analyzer.graph import scope_of
from analyzer.records import Analysis, PersonAnalysis
from analyzer.report.coverage import TeamCoverage
from analyzer.report.plotting import (
    DROPPED_COLOUR,
    DROPPED_FILL,
    DUPLICATED_COLOUR,
    GRID,
    INK,
    LEVEL_COLOURS,
    LEVEL_TEXT,
    MUTED,
    OWNER_COLOUR,
    figure,
    label_size,
    png_bytes,
    team_colour,
)
from analyzer.report.similarity import OverlapView
from analyzer.report.views import model_of, role_counts, shorten

_RESP_LABEL = 44
_COLUMN_LABEL = 30
_PERSON_LABEL = 26
_ROW_INCH = 0.25
_LEVELS_LIGHT_TO_DARK = ("", "I", "C", "R", "A")


def _responsibility_labels(analysis: Analysis, resp_ids) -> list[str]:
    model = model_of(analysis)
    return [shorten(model.responsibility(resp).name, _RESP_LABEL) for resp in resp_ids]


def _in_cells(ax) -> dict:
    """Keyword arguments for the texts and frames drawn inside the cells of ``ax``.

    Their clip path is made once and shared (matplotlib otherwise builds one per artist: most of the
    cost of adding hundreds of texts), and they stay out of ``tight_layout``'s measuring, which would
    clip each one to the axes and change nothing: they lie inside the axes. The pixels are the same.
    """
    from matplotlib.transforms import TransformedPatchPath

    return {"clip_path": TransformedPatchPath(ax.patch), "in_layout": False}


class _CellLabels:
    """The short labels centred in heatmap cells ("3/12", "A", "2A"), drawn as one collection of glyph outlines.

    A matplotlib text costs about a millisecond to create, lay out and draw, and a heatmap holds up to a
    thousand of them, mostly the same few strings. Here each distinct label is laid out once (its
    outline, a ``TextPath``) and stamped into every cell it labels by one ``PathCollection``, placed as
    ``ax.text(x, y, label, ha="center", va="center")`` places it (the renderer's own text metrics). The
    glyphs are filled outlines instead of FreeType bitmaps: the same shapes (text is drawn unhinted).
    """

    def __init__(self, size: float) -> None:
        self.size = size
        self.cells: list[tuple[float, float, str, bool, str]] = []

    def add(self, x: float, y: float, text: str, colour: str, bold: bool = False) -> None:
        self.cells.append((x, y, text, bold, colour))

    def draw_on(self, ax) -> None:
        from matplotlib.collections import PathCollection
        from matplotlib.font_manager import FontProperties
        from matplotlib.textpath import TextPath
        from matplotlib.transforms import Affine2D, IdentityTransform

        if not self.cells:
            return
        fig = ax.get_figure()
        renderer = fig.canvas.get_renderer()
        pixels = fig.dpi / 72.0
        paths: dict[tuple[str, bool], object] = {}
        for _, _, text, bold, _ in self.cells:
            if (text, bold) in paths:
                continue
            prop = FontProperties(size=self.size, weight="bold" if bold else "normal")
            width, height, descent = renderer.get_text_width_height_descent(text, prop, ismath=False)
            _, lp_height, lp_descent = renderer.get_text_width_height_descent("lp", prop, ismath=False)
            height, descent = max(height, lp_height), max(descent, lp_descent)
            # ha="center", va="center" (matplotlib's text layout): the box of the line is height tall with
            # the baseline descent above its bottom, so the baseline is descent - height / 2 above the centre
            place = Affine2D().scale(pixels).translate(-width / 2.0, descent - height / 2.0)
            paths[(text, bold)] = place.transform_path(TextPath((0, 0), text, prop=prop))
        labels = PathCollection([paths[(text, bold)] for _, _, text, bold, _ in self.cells],
                                offsets=[(x, y) for x, y, _, _, _ in self.cells], offset_transform=ax.transData,
                                transform=IdentityTransform(), facecolors=[cell[4] for cell in self.cells],
                                edgecolors="none", linewidths=0, zorder=3, **_in_cells(ax))
        ax.add_collection(labels, autolim=False)


def _grid(ax, rows: int, columns: int) -> None:
    """White lines between the cells, drawn as one collection.

    They are what ``ax.grid`` draws at minor ticks on the cell edges (same width, colour, caps, clip and
    layer), without a tick object per line: 100 minor ticks cost a tenth of a heatmap.
    """
    from matplotlib.collections import LineCollection

    left, right, bottom, top = -0.5, columns - 0.5, rows - 0.5, -0.5
    lines = [[(x, bottom), (x, top)] for x in np.arange(-0.5, columns, 1)]
    lines += [[(left, y), (right, y)] for y in np.arange(-0.5, rows, 1)]
    ax.add_collection(LineCollection(lines, colors="white", linewidths=1.2, capstyle="projecting", zorder=1.5,
                                     clip_path=ax.patch), autolim=False)
    ax.tick_params(which="major", length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)


def role_coverage_png(analysis: Analysis) -> bytes:
    """Role x responsibility: the share of each role's people who do (A or R) each responsibility.

    The orange frame marks the role the model makes accountable, so a frame with a pale cell is work
    the owning role does not do, and a dark cell outside the frame is work another role has taken.
    """
    model = model_of(analysis)
    roles, resp_ids, counts, sizes = role_counts(analysis)
    rows = _responsibility_labels(analysis, resp_ids)
    columns = [shorten(model.role(role).name, _COLUMN_LABEL) for role in roles] or ["(nobody in a product role)"]
    values = np.array([[counts[c][r] / sizes[c] for c in range(len(roles))] for r in range(len(resp_ids))])
    if not roles:
        values = np.zeros((len(resp_ids), 1))
    width = 3.6 + 0.62 * len(columns) + 1.0
    height = 2.2 + _ROW_INCH * len(rows)
    with figure((width, height)) as fig:
        from matplotlib.patches import Rectangle

        ax = fig.add_subplot()
        image = ax.imshow(values, cmap="Blues", vmin=0.0, vmax=1.0, aspect="auto")
        _grid(ax, len(rows), len(columns))
        ax.set_yticks(range(len(rows)), labels=rows, fontsize=label_size(len(rows)))
        ax.set_xticks(range(len(columns)), labels=columns, fontsize=8, rotation=40, ha="left",
                      rotation_mode="anchor")
        ax.xaxis.tick_top()
        cell = _in_cells(ax)
        labels = _CellLabels(6.5)
        for r, resp in enumerate(resp_ids):
            owner = model.responsibility(resp).owner
            for c, role in enumerate(roles):
                if counts[c][r]:
                    labels.add(c, r, f"{counts[c][r]}/{sizes[c]}", "white" if values[r, c] >= 0.55 else INK)
                if role == owner:
                    ax.add_patch(Rectangle((c - 0.46, r - 0.46), 0.92, 0.92, fill=False,
                                           edgecolor=OWNER_COLOUR, linewidth=1.6, **cell))
        labels.draw_on(ax)
        bar = fig.colorbar(image, ax=ax, fraction=0.05, pad=0.02, shrink=0.5)
        bar.set_label("share of the role's people doing it (A or R)", fontsize=7, color=MUTED)
        bar.ax.tick_params(labelsize=7)
        bar.outline.set_visible(False)
        ax.set_title("Who does what, by role", loc="left", pad=12)
        fig.text(0.01, 0.005, "Cell: people of the role doing the work / people in the role.  "
                 "Orange frame: the role the model makes accountable.", fontsize=7, color=MUTED)
        fig.tight_layout(rect=(0, 0.02, 1, 1))
        return png_bytes(fig)


def team_coverage_png(analysis: Analysis, coverage: TeamCoverage) -> bytes:
    """Team x responsibility: the strongest RACI level in each team; dropped cells framed in red.

    A number with ``A`` (``2A``) counts the people accountable in that team, framed orange when a
    ``duplicated`` finding names the cell.
    """
    rows = _responsibility_labels(analysis, coverage.responsibilities)
    columns = ["Whole organisation" if scope == "org" else shorten(scope, _COLUMN_LABEL) for scope in coverage.scopes]
    index = {level: position for position, level in enumerate(_LEVELS_LIGHT_TO_DARK)}
    values = np.array([[index[level] for level in row] for row in coverage.levels], dtype=float)
    if values.size == 0:
        values = np.zeros((len(rows), len(columns)))
    width = 3.6 + 0.55 * len(columns) + 0.6
    height = 2.9 + _ROW_INCH * len(rows)
    with figure((width, height)) as fig:
        from matplotlib.colors import ListedColormap
        from matplotlib.patches import Patch, Rectangle

        cmap = ListedColormap([LEVEL_COLOURS[level] for level in _LEVELS_LIGHT_TO_DARK])
        ax = fig.add_subplot()
        ax.imshow(values, cmap=cmap, vmin=-0.5, vmax=len(_LEVELS_LIGHT_TO_DARK) - 0.5, aspect="auto")
        _grid(ax, len(rows), len(columns))
        ax.set_yticks(range(len(rows)), labels=rows, fontsize=label_size(len(rows)))
        ax.set_xticks(range(len(columns)), labels=columns, fontsize=label_size(len(columns), 8.0), rotation=40,
                      ha="left", rotation_mode="anchor")
        ax.xaxis.tick_top()
        ax.axvline(0.5, color=INK, linewidth=1.0)  # the whole-organisation column is a total, not a team
        cell = _in_cells(ax)
        labels = _CellLabels(6.5)
        for r, resp in enumerate(coverage.responsibilities):
            for c, scope in enumerate(coverage.scopes):
                level = coverage.levels[r][c]
                accountable = coverage.accountable[r][c]
                # Several A's across the whole organisation are normal (one per team); count them in teams only.
                counted = accountable >= 2 and scope != "org"
                text = f"{accountable}A" if counted else level
                if (scope, resp) in coverage.dropped:
                    ax.add_patch(Rectangle((c - 0.44, r - 0.44), 0.88, 0.88, facecolor=DROPPED_FILL,
                                           edgecolor=DROPPED_COLOUR, linewidth=1.6, **cell))
                    text = "none" if level in ("", "I") else level
                if (scope, resp) in coverage.duplicated:
                    ax.add_patch(Rectangle((c - 0.44, r - 0.44), 0.88, 0.88, fill=False,
                                           edgecolor=DUPLICATED_COLOUR, linewidth=1.8, **cell))
                if text:
                    dropped = (scope, resp) in coverage.dropped and level not in ("A", "R")
                    labels.add(c, r, text, DROPPED_COLOUR if dropped else LEVEL_TEXT[level], dropped or counted)
        labels.draw_on(ax)
        handles = [Patch(facecolor=LEVEL_COLOURS[level], edgecolor=GRID, label=f"{level} {name}")
                   for level, name in (("A", "accountable"), ("R", "responsible"), ("C", "consulted"),
                                       ("I", "informed"))]
        handles += [Patch(facecolor=DROPPED_FILL, edgecolor=DROPPED_COLOUR, linewidth=1.6, label="dropped"),
                    Patch(facecolor="white", edgecolor=DUPLICATED_COLOUR, linewidth=1.8, label="2A+ duplicated")]
        fig.legend(handles=handles, loc="lower left", ncol=3, fontsize=7, frameon=False,
                   bbox_to_anchor=(0.0, 0.0))
        title = "Coverage by team"
        if coverage.hidden_scopes:
            title += f" ({coverage.hidden_scopes} teams not shown)"
        ax.set_title(title, loc="left", pad=12)
        fig.tight_layout(rect=(0, 0.06 if len(rows) > 12 else 0.12, 1, 1))
        return png_bytes(fig)


def person_overlap_png(analysis: Analysis, view: OverlapView) -> bytes:
    """Person x person overlap (weighted Jaccard of RACI holdings), clustered so groups sit together.

    A coloured strip next to the names shows each person's team, so clusters that cross teams stand out;
    pairs named by an ``overlap`` finding (same team, more than chance) are framed.
    """
    wanted = set(view.ids)
    first: dict[str, PersonAnalysis] = {}  # id -> the first person with it, as Analysis.person finds them
    for person in analysis.people:  # one pass, not one scan per person shown
        if person.id in wanted and person.id not in first:
            first[person.id] = person
    people = [first[pid] for pid in view.ids]
    scopes = [scope_of(person) for person in people]
    teams = sorted(set(scopes))
    colours = {team: team_colour(position) for position, team in enumerate(teams)}
    labels = [shorten(person.record.name or f"person {person.id}", _PERSON_LABEL) for person in people]
    count = len(people)
    values = np.array(view.values, dtype=float)
    np.fill_diagonal(values, np.nan)
    # Lay the figure out in inches so labels keep their size whatever the number of people.
    size = label_size(count)
    text_inch = max(len(label) for label in labels) * size * 0.62 / 72 + 0.25
    side, strip_w, right_w, top_h = max(2.6, 0.2 * count), 0.12, 2.1, 0.55
    labels_w, labels_h = max(1.2, text_inch), max(0.9, text_inch)
    width, height = labels_w + strip_w + 0.05 + side + right_w, top_h + side + labels_h
    with figure((width, height)) as fig:
        from matplotlib import colormaps
        from matplotlib.colors import ListedColormap
        from matplotlib.patches import Patch, Rectangle

        left = (labels_w + strip_w + 0.05) / width
        ax = fig.add_axes((left, labels_h / height, side / width, side / height))
        strip = fig.add_axes((labels_w / width, labels_h / height, strip_w / width, side / height))
        cmap = colormaps["YlOrRd"].with_extremes(bad="#eef1f5")
        image = ax.imshow(values, cmap=cmap, vmin=0.0, vmax=1.0, aspect="auto")
        _grid(ax, count, count)
        ax.set_xticks(range(count), labels=labels, rotation=90, fontsize=size)
        ax.set_yticks([])
        team_index = np.array([[teams.index(scope)] for scope in scopes])
        strip.imshow(team_index, cmap=ListedColormap([colours[team] for team in teams]), aspect="auto",
                     vmin=-0.5, vmax=len(teams) - 0.5)
        strip.set_xticks([])
        strip.set_yticks(range(count), labels=labels, fontsize=size)
        for spine in strip.spines.values():
            spine.set_visible(False)
        strip.tick_params(length=0)
        cell = _in_cells(ax)
        for r in range(count):
            for c in range(count):
                if r == c:
                    continue
                if count <= 16 and view.values[r][c] >= 0.05:
                    ax.text(c, r, f"{view.values[r][c]:.0%}", ha="center", va="center", fontsize=6.5,
                            color="white" if view.values[r][c] >= 0.6 else INK, **cell)
                if frozenset((view.ids[r], view.ids[c])) in view.flagged:
                    ax.add_patch(Rectangle((c - 0.42, r - 0.42), 0.84, 0.84, fill=False, edgecolor=INK,
                                           linewidth=1.1, **cell))
        right = left + (side + 0.3) / width
        bar_ax = fig.add_axes((right, (labels_h + side * 0.55) / height, 0.12 / width, side * 0.4 / height))
        bar = fig.colorbar(image, cax=bar_ax)
        bar.set_label("overlap of responsibilities", fontsize=7, color=MUTED)
        bar.ax.tick_params(labelsize=7)
        bar.outline.set_visible(False)
        legend_teams = teams[:20]
        handles = [Patch(facecolor=colours[team], label=shorten(team, 22)) for team in legend_teams]
        if view.flagged:
            handles.append(Patch(facecolor="white", edgecolor=INK, label="overlap finding"))
        anchor = (right - 0.1 / width, (labels_h + side * 0.5) / height)
        fig.legend(handles=handles, loc="upper left", bbox_to_anchor=anchor, fontsize=6.5, frameon=False,
                   title="team", title_fontsize=7)
        fig.suptitle("Who overlaps with whom", x=labels_w / width, y=1 - 0.18 / height, ha="left", fontsize=10,
                     fontweight="bold", color=INK)
        return png_bytes(fig)
