"""Tell what a file really is (by its bytes, not its name) and decode text files.

HR exports arrive renamed (an ``.xlsx`` saved as ``.csv``), in legacy encodings (Excel's "CSV" on
Windows writes Windows-1252), as UTF-16 ("Unicode text") or as HTML pages named ``.xls``. The kind is
read from the magic bytes first and the extension second; a mismatch is reported, not fatal.

Examples
--------
>>> detect_kind(".csv", b"PK\\x03\\x04...")  # a zip: looked into later (workbook or document?)
'zip'
>>> decode_text("x.csv", "Équipe;Zürich – Köln".encode("cp1252"))
('Équipe;Zürich – Köln', 'cp1252')
"""

from __future__ import annotations

import re

from analyzer.ingest.problems import ProblemLog

TEXT_TABLE_SUFFIXES = {".csv", ".tsv", ".tab", ".txt", ".dat", ".psv"}
JSON_SUFFIXES = {".json", ".jsonl", ".ndjson"}
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
DOCUMENT_SUFFIXES = {".txt", ".md", ".markdown", ".docx", ".pdf", ".html", ".htm"}

_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "zip"),
    (b"PK\x05\x06", "zip"),  # an empty zip archive
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),  # legacy Office: .xls, .doc, password-protected .xlsx
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\x7fELF", "a program"),
    (b"{\\rtf", "an RTF document"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
# Characters that Windows-1252 text in western languages is made of, beyond ASCII: accented letters,
# typographic quotes and dashes, the euro sign... Cyrillic or Polish bytes read as cp1252 give other
# symbols (³ ¹ ¥ ...) or whole words without a single ASCII letter.
_WESTERN = set("’‘“”„–—…€•·°«»¿¡©®™§ª º²\u00a0") | {chr(code) for code in range(0xC0, 0x100)} - {"×", "÷"}
_WORD = re.compile(r"[^\W\d_]+")
_CONTROL_BYTES = bytes(byte for byte in range(32) if byte not in b"\t\n\r\f") + b"\x7f"


def detect_kind(suffix: str, data: bytes) -> str:
    """``zip``, ``ole``, ``pdf``, ``text``, or a description of a binary kind we cannot read."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if any(data.startswith(bom) for bom, _ in _BOMS) or _utf16_without_bom(data[:4096]):
        return "text"
    head = data[:65536]
    controls = sum(head.count(byte) for byte in _CONTROL_BYTES)
    # A stray NUL in an otherwise clean export is tolerated (and removed); many control bytes in bytes
    # that are not even UTF-8 are not text.
    if head.count(0) > len(head) // 200 or (controls > len(head) // 20 and not _is_utf8(head)):
        return "binary data"
    return "text"


def _is_utf8(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start >= len(head) - 3  # a character cut at the end of the sample
    return True


def _utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when every other byte is NUL (ASCII text saved as UTF-16 without BOM)."""
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    if odd.count(0) >= 0.4 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) >= 0.4 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def decode_text(source: str, data: bytes, log: ProblemLog | None = None) -> tuple[str, str]:
    """Decode bytes of a text file; returns ``(text, encoding)``.

    Order: a byte-order mark; UTF-16 without BOM; UTF-8; Windows-1252 when the bytes read as plausible
    western text; else the encoding charset-normalizer finds. charset-normalizer alone misreads short
    Windows-1252 files (as Mac Roman, cp1250, ...), hence the cp1252 check before it.
    """
    log = log or ProblemLog(source)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding.replace("-sig", "")
            except UnicodeDecodeError:
                break
    utf16 = _utf16_without_bom(data[:4096])
    if utf16:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    western = _decode_cp1252(data)
    if _plausibly_western(western):
        return western, "cp1252"
    guess = _charset_normalizer_guess(data)
    if guess is not None:
        return guess
    log.stop("", "unknown_encoding", "the bytes are not text in any encoding we can recognise",
             "cannot tell the text encoding")
    raise AssertionError("unreachable")  # pragma: no cover - stop() raises


def _decode_cp1252(data: bytes) -> str:
    # Five byte values are undefined in cp1252; Latin-1 maps every byte, so it is the fallback.
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _plausibly_western(text: str) -> bool:
    text = text[:200_000]  # a sample is enough, and keeps huge files fast
    non_ascii = [char for char in text if ord(char) > 127]
    if not non_ascii:
        return True
    if sum(char in _WESTERN for char in non_ascii) < 0.95 * len(non_ascii):
        return False
    accented_words = [word for word in _WORD.findall(text) if any(ord(char) > 127 for char in word)]
    if not accented_words:
        return True
    mixed = sum(any(char.isascii() for char in word) for word in accented_words)
    return mixed >= 0.5 * len(accented_words)


def _charset_normalizer_guess(data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    try:
        best = from_bytes(data).best()
    except Exception:  # the detector must never turn odd bytes into a crash: treat as "unknown"
        return None
    if best is None:
        return None
    text = str(best)
    return text, best.encoding
