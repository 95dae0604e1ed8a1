"""Responsibility matrix as CSV (people x responsibilities, RACI letters), safe for spreadsheets.

Cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or
carriage return) are prefixed with an apostrophe, the OWASP recommendation against CSV injection.
"""

from __future__ import annotations

import csv
import io

from analyzer.records import Analysis
from analyzer.report.views import responsibility_matrix

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(cell: str) -> str:
    """Text a spreadsheet shows as-is (never evaluates).

    Examples
    --------
    >>> neutralise("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralise("Ada")
    'Ada'
    """
    text = str(cell)
    return "'" + text if text.startswith(_FORMULA_START) else text


def matrix_csv(analysis: Analysis) -> str:
    """The responsibility matrix as CSV text (UTF-8, ``\\n`` line ends, header row first)."""
    header, rows = responsibility_matrix(analysis)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    identity = header.index("role") + 1  # user text up to the role; RACI letters (or nothing) after it
    writer.writerows([neutralise(cell) for cell in row[:identity]] + row[identity:] for row in rows)
    return buffer.getvalue()
