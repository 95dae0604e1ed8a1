"""Job descriptions as documents: a folder of .txt, .md, .docx, .pdf (or .html) files, or one file.

Each document is one role. Its title is the document's first heading (or first short line), else
its file name ("senior_product_manager_v2.docx" -> "Senior Product Manager"). Documents in a
sub-folder belong to a team named after the sub-folder. A damaged or empty document becomes a skipped
row with its reason; other files in the folder are listed as ignored.

Documents can also be joined to a roster export (``analyze roster.csv --documents jds/``): by a
file-name column of the roster when there is one, else by job title.

Examples
--------
>>> title_and_body("Job Description: Product Owner\\n\\nYou will own the backlog.", "po.txt")
('Product Owner', 'You will own the backlog.')
>>> title_from_file_name("senior_product_manager_JD_v2.docx")
'Senior Product Manager'
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from pathlib import Path

from analyzer.htmltext import html_to_text
from analyzer.ingest.problems import ProblemLog
from analyzer.ingest.sniff import DOCUMENT_SUFFIXES, decode_text

_MAX_DOCUMENTS = 5000
_MAX_BYTES = 50 * 1024 * 1024
_MAX_PDF_PAGES = 40
_TITLE_MAX_WORDS = 10
_TITLE_PREFIX = re.compile(r"^\s*(?:job|position|role)\s*(?:title|description|profile|name)?\s*[:\-–—|]\s*(.+)$",
                           re.IGNORECASE)
_GENERIC_HEADINGS = {"job description", "position description", "role description", "job profile", "role profile",
                     "jd", "description", "responsibilities", "overview", "summary", "about the role", "the role",
                     "role", "job", "position", "confidential", "draft", "internal",
                     # a description that opens with a section of its own, not with the job's title
                     "key responsibilities", "duties", "duties and responsibilities", "main duties", "your tasks",
                     "requirements", "qualifications", "minimum qualifications", "preferred qualifications",
                     "your profile", "about you", "about us", "about the company", "who we are", "what you'll do",
                     "what you will do", "what we offer", "benefits", "job summary", "job purpose", "purpose",
                     "purpose of the role", "role summary", "position summary", "the opportunity"}
# A list item is a line of the description, never its title.
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•·▪◦–]|\d{1,2}[.)])\s")
_FILE_NOISE = re.compile(r"\b(jd|job ?description|job ?profile|role ?profile|final|draft|copy|v\d+|\d{4}[-_.]?\d{2}"
                         r"(?:[-_.]?\d{2})?)\b", re.IGNORECASE)
_MARKDOWN_MARKUP = re.compile(r"^\s{0,3}(?:#{1,6}\s*|[-*+]\s+|>\s*)|[*_`]+|\s+#+\s*$")


@dataclass
class Document:
    """One job description read from a file."""

    path: str  # relative to the folder, with '/' separators
    title: str = ""
    text: str = ""
    team: str = ""  # the sub-folder, if any
    problem: tuple[str, str] | None = None  # (code, reason) when the document cannot be analysed
    sha256: str = ""


def read_folder(folder: Path, log: ProblemLog) -> list[Document]:
    """Every job-description document under ``folder`` (sorted by path, sub-folders included)."""
    files = []
    ignored = []
    for path in sorted(folder.rglob("*"), key=lambda p: p.relative_to(folder).as_posix().casefold()):
        relative = path.relative_to(folder)
        if any(part.startswith((".", "~$")) for part in relative.parts) or not path.is_file():
            continue  # hidden files, Office lock files, folders
        if path.suffix.lower() in DOCUMENT_SUFFIXES:
            files.append(path)
        else:
            ignored.append(relative.as_posix())
    if ignored:
        log.warn("", "ignored_file", f"{len(ignored)} file(s) that are not job descriptions were ignored: "
                 f"{', '.join(ignored[:10])}{', ...' if len(ignored) > 10 else ''}")
    if not files:
        log.stop("", "no_documents", "the folder holds no .txt, .md, .docx, .pdf or .html document",
                 "no job descriptions found")
    if len(files) > _MAX_DOCUMENTS:
        log.stop("", "no_documents", f"the folder holds {len(files)} documents (at most {_MAX_DOCUMENTS})",
                 "too many documents", "analyse the folders one at a time")
    return [read_document(path, path.relative_to(folder).as_posix()) for path in files]


def read_document(path: Path, relative: str) -> Document:
    """Read one document; problems are recorded on the document, never raised."""
    parts = relative.split("/")
    document = Document(path=relative, team=parts[-2] if len(parts) > 1 else "")
    try:
        size = path.stat().st_size
        if size > _MAX_BYTES:
            document.problem = ("bad_document", f"the document is {size // (1024 * 1024)} MiB, too large")
            return document
        data = path.read_bytes()
    except OSError as error:
        document.problem = ("bad_document", f"cannot read the file ({error.strerror})")
        return document
    document.sha256 = hashlib.sha256(data).hexdigest()
    try:
        title, body = _read_by_kind(path.suffix.lower(), data, path.name)
    except _DocumentError as error:
        document.problem = ("bad_document", str(error))
        return document
    document.title, document.text = title or title_from_file_name(path.name), body
    if not body.strip():
        document.problem = ("empty_document", "the document has no text")
    return document


class _DocumentError(Exception):
    pass


def _read_by_kind(suffix: str, data: bytes, name: str) -> tuple[str, str]:
    if data.startswith(b"%PDF-") or suffix == ".pdf":
        return _read_pdf(data, name)
    if data.startswith(b"PK\x03\x04") or suffix == ".docx":
        return _read_docx(data, name)
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _DocumentError("the file is binary, not a text document")
    try:
        text, _ = decode_text(name, data)
    except Exception as error:  # InputError for undecodable bytes: a document-level problem here
        raise _DocumentError("the text encoding cannot be recognised") from error
    text = text.replace("\x00", "")
    if suffix in (".html", ".htm") or text.lstrip()[:1] == "<":
        text = html_to_text(text)
    if suffix in (".md", ".markdown"):
        text = "\n".join(_MARKDOWN_MARKUP.sub("", line) for line in text.splitlines())
    return title_and_body(text, name)


def _read_docx(data: bytes, name: str) -> tuple[str, str]:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises zip, XML and package errors for damaged files
        raise _DocumentError(f"the Word document is damaged ({type(error).__name__})") from error
    heading = ""
    lines = []
    for paragraph in document.paragraphs:
        text = " ".join(paragraph.text.split())
        if not text:
            continue
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        if not heading and not lines and style.lower().startswith(("title", "heading")):
            heading = text
            continue
        lines.append(f"- {text}" if style.lower().startswith("list") else text)
    for table in document.tables:
        for row in table.rows:
            cells = [" ".join(cell.text.split()) for cell in row.cells]
            lines.append(" | ".join(dict.fromkeys(cell for cell in cells if cell)))
    body = "\n".join(line for line in lines if line)
    if heading and _title_like(heading):
        return _strip_prefix(heading), body
    return title_and_body(f"{heading}\n{body}" if heading else body, name)


def _read_pdf(data: bytes, name: str) -> tuple[str, str]:
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged PDFs produce pages of warnings
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise _DocumentError("the PDF is password-protected")
        pages = [page.extract_text() or "" for page in reader.pages[:_MAX_PDF_PAGES]]
        metadata_title = str((reader.metadata or {}).get("/Title") or "")
    except _DocumentError:
        raise
    except Exception as error:  # pypdf raises many types for damaged files
        raise _DocumentError(f"the PDF is damaged ({type(error).__name__})") from error
    text = "\n".join(pages)
    title, body = title_and_body(text, name)
    # The metadata title only helps when the text gave none (Word fills it with "Microsoft Word - x.docx").
    useful = metadata_title and _title_like(metadata_title) and not re.search(
        r"microsoft|untitled|\.docx?$", metadata_title, re.IGNORECASE)
    if useful and title == title_from_file_name(name):
        return _strip_prefix(metadata_title.strip()), body
    return title, body


def title_and_body(text: str, name: str) -> tuple[str, str]:
    """The title (first short line that is not a generic heading) and the rest of the text."""
    lines = [line.strip() for line in text.splitlines()]
    non_empty = [index for index, line in enumerate(lines) if line]
    for index in non_empty[:3]:
        line = lines[index]
        if line.rstrip(":").lower() in _GENERIC_HEADINGS:
            continue
        if _title_like(line):
            body = "\n".join(item for position, item in enumerate(lines) if position != index and item)
            return _strip_prefix(line), body
        break
    return title_from_file_name(name), "\n".join(line for line in lines if line)


def _title_like(line: str) -> bool:
    if _LIST_ITEM.match(line):
        return False
    words = _strip_prefix(line).split()
    return 0 < len(words) <= _TITLE_MAX_WORDS and not line.rstrip().endswith((".", ",", ";")) and len(line) <= 120


def _strip_prefix(line: str) -> str:
    match = _TITLE_PREFIX.match(line)
    return (match.group(1) if match else line).strip().strip("*_#:").strip()


def title_from_file_name(name: str) -> str:
    """A readable title from a file name: separators become spaces, "jd", "v2", "final" and dates go."""
    stem = Path(name).stem
    words = _FILE_NOISE.sub(" ", re.sub(r"[_\-.]+", " ", stem))
    title = " ".join(words.split()) or stem
    return title.title() if title == title.lower() else title


def normalise_title(title: str) -> str:
    """Title key for joining documents to roster rows: casefolded words, punctuation removed.

    >>> normalise_title("Sr. Product-Manager ") == normalise_title("sr product manager")
    True
    """
    return " ".join(re.findall(r"\w+", title.casefold()))


def document_keys(document: Document) -> set[str]:
    """Names a roster's file-name column may use for the document: the path, file name or stem."""
    path = document.path.casefold()
    name = path.rsplit("/", 1)[-1]
    return {path, name, name.rsplit(".", 1)[0], path.rsplit(".", 1)[0]}
