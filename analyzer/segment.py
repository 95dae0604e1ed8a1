"""Split a job description into statements and tell duties from requirements and boilerplate.

A statement is a bullet item or a sentence. Headings open sections ("Responsibilities",
"Qualifications", "About us", "Benefits") whose kind carries over to the statements below them;
wording patterns ("5+ years of experience", "equal opportunity employer") override the section. A
posting's field headings ("Location", "Salary", "Position title") cover their one line only, and a short
sentence-case line over a list ("Strategy and planning") is a subheading, not a duty. Text copied out of
job boards and word processors is read back into its structure first: a list flattened onto one line
("Responsibilities: • Own the roadmap • Write stories"), a heading run on at the end of the item before
it, HTML entities left in plain text, emoji that decorate a line.
Only :attr:`StatementKind.DUTY` statements are mapped onto responsibilities.

Examples
--------
>>> text = '''About the role
... - Own the product roadmap; run discovery with customers.
... Requirements:
... - 5+ years of product management experience'''
>>> [(s.kind.value, s.text) for s in segment(text)]  # doctest: +NORMALIZE_WHITESPACE
[('heading', 'About the role'), ('duty', 'Own the product roadmap'),
 ('duty', 'run discovery with customers.'), ('heading', 'Requirements'),
 ('requirement', '5+ years of product management experience')]
"""

from __future__ import annotations

import dataclasses
import html
import re
from functools import lru_cache

from analyzer.htmltext import html_to_text, looks_like_html
from analyzer.language import any_match, load_language
from analyzer.nlp import (
    clear_sentences,
    is_verb_among,
    split_sentences,
    split_words,
    straight_apostrophes,
    verb_lemma,
)
from analyzer.records import Statement, StatementKind

# Bullets: list marks, "1." / "1)" / "a)", Word's "o" sub-bullet before a capital, and the share of time that
# public-sector duty lists put first ("40% - Plans ...", "(20%) Manages ..."; not "15% off ...").
_BULLET_RE = re.compile(r"^\s*(?:[-*•·▪◦●○■□➢➤►▶✓✔–—]|\(?[0-9]{1,2}[.)]|\(?[a-z][.)](?=\s)|o(?=\s+[A-Z])"
                        r"|\(?[0-9]{1,3}\s?%\)?(?:\s*[-–—:]|\s+of time)?(?=\s+[A-Z]))\s*")
# Emoji and pictographs that decorate the start of a line ("🚀 What you'll do", "✅ Own the roadmap") say
# nothing: a heading stays a heading and a line stays a line once they are dropped.
_DECORATION_RE = re.compile("^(?:[\u2190-\u21ff\u2300-\u23ff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d"
                            "\U0001f000-\U0001faff]+\\s*)+")
_TRAILING_HEADING_RE = re.compile(r"^(.*\S)\s+([A-Z][\w'&/-]*(?:\s+[\w'&/-]+){0,3}:)$")
_ENTITY_RE = re.compile(r"&(?:[a-zA-Z]{2,8}|#[0-9]{2,5}|#x[0-9a-fA-F]{2,4});")
_MD_HEADING_RE = re.compile(r"^\s*#{1,6}\s*")
_EMPHASIS_RE = re.compile(r"(\*\*|__)(.+?)\1")
_INLINE_HEADING_RE = re.compile(r"^([A-Za-z][A-Za-z '&/-]{2,60}):(?:\s+|(?=[A-Z]))(\S.*)$")  # "Duties:Own" too
# A list flattened onto one line by a job board or a copy from a PDF ("What you'll do • Own the roadmap •
# Write stories", "... -Own the roadmap -Write stories"): two or more marks inside a line, each before a
# capital (or, after a bullet sign, a figure), split it back into its items. One mark is punctuation.
_INLINE_BULLET_RE = re.compile(r"\s(?:[•▪●◦■➢➤►]\s*(?=[A-Z0-9])|-(?=[A-Z]))")
_TERMINAL_RE = re.compile(r"[.!?;]\s*$")
_SENTENCE_END_RE = re.compile(r"[.!?;:]\s*$")
# A part of a sentence split at semicolons that only goes on with it ("; to give our staff ...", "; and ...")
_CONTINUATION_RE = re.compile(r"(?:to|and|or|but|as well as|plus|including|with)\b")
# Long bullets and paragraphs are split further at semicolons when each part reads as a clause.
_SEMICOLON_MIN_WORDS = 2
_LONG_BULLET_WORDS = 40
_MAX_HEADING_WORDS = 12
_SHORT_HEADING_WORDS = 6
_SUBHEADING_CHARS = 80  # a subheading is a few words (remembered per line, so long lines are not offered)
# First words of a short line that make it a sentence, not a subheading ("You will", "The team is").
_SUBJECT_WORDS = frozenset({"you", "you'll", "you're", "we", "we'll", "i", "they", "this", "the", "a", "an"})
_MAX_STATEMENT_CHARS = 2000  # a multi-megabyte cell must not become one giant statement
# Lines, bullets and statements up to this long are remembered (bounded caches): the descriptions of
# one template share most of them, so each is read once per process.
_REMEMBERED_LINE_CHARS = 500


def segment(text: str) -> list[Statement]:
    """Statements of a job description, in order, each with its kind and section.

    Parameters
    ----------
    text:
        Plain text or HTML. Bullets (``-``, ``*``, ``•``, ``1.``, ``o``, ``40% -``), headings and
        paragraphs are recognised; HTML lists and lists flattened onto one line become bullets. Typographic
        apostrophes are read, and kept in the statements, as straight ones (:func:`analyzer.nlp.straight_apostrophes`).
    """
    if not text or not text.strip():
        return []
    if looks_like_html(text):
        text = html_to_text(text)
    elif "&" in text and _ENTITY_RE.search(text):  # entities left in text copied out of a web page
        text = html.unescape(text)
    text = straight_apostrophes(text)
    lang = load_language().segment
    statements: list[Statement] = []
    section_kind = StatementKind.DUTY
    section = ""
    field_value_next = False  # the block after a field heading ("Location") is its value: boilerplate
    paragraphs: list[tuple[str, StatementKind, str]] = []  # (text, section kind, section) to split

    def flush() -> None:
        if not paragraphs:
            return
        sentences = split_sentences([item[0] for item in paragraphs])
        for (_, kind, sect), pieces in zip(paragraphs, sentences, strict=True):
            for piece in pieces:
                _emit(statements, piece, kind, sect, lang)
        paragraphs.clear()

    blocks = _blocks(text)
    for index, (is_bullet, body) in enumerate(blocks):
        heading = None if is_bullet else _heading(body)
        if heading is None and not is_bullet and index + 1 < len(blocks) and blocks[index + 1][0]:
            heading = _subheading(body) if len(body) <= _SUBHEADING_CHARS else None
        if heading is not None and field_value_next and _is_value(body, heading, lang):
            heading = None  # "Location" then "London, Manchester or Newcastle": a value, not a heading
        if heading is not None:
            flush()
            heading_text, rest = heading
            section = heading_text.lower()
            field_value_next = _is_field(section, lang)
            if not field_value_next:
                kind = _heading_kind(section, lang)
                if kind is not None:
                    section_kind = kind
                elif not heading_text.endswith("?"):
                    section_kind = StatementKind.DUTY
            statements.append(Statement(heading_text, StatementKind.HEADING, section))
            if rest:
                paragraphs.append((rest, StatementKind.BOILERPLATE if field_value_next else section_kind, section))
                field_value_next = False
            continue
        kind = StatementKind.BOILERPLATE if field_value_next else section_kind
        field_value_next = False
        if is_bullet and len(body.split()) <= _LONG_BULLET_WORDS:
            flush()
            _emit(statements, body, kind, section, lang)
        else:
            paragraphs.append((body[:_MAX_STATEMENT_CHARS * 20], kind, section))
    flush()
    return _introduction_as_context(statements, lang)


def _introduction_as_context(statements: list[Statement], lang) -> list[Statement]:
    """The statements before a posting's first heading, as the employer's introduction: boilerplate, unless worded
    as the job's work. Only when a later heading opens the duties ("What you'll do"): there the introduction is the
    company's, while a description without headings (an HR export's) is all the job's.

    On the real postings kept for development (179 of them), 68 statements otherwise read as duties are the
    introduction: 17 labelled as no duty of the reader's, 50 unlabelled, and one labelled duty, a comparison of two
    roles ("The main difference is that Project Managers also undertake budgeting, ..."). See iteration 12 in
    evaluation/HISTORY.md for what it did to the roles read.
    """
    first = next((index for index, statement in enumerate(statements) if statement.kind is StatementKind.HEADING),
                 None)
    if not first or not any(statement.kind is StatementKind.HEADING
                            and _heading_kind(statement.section, lang) is StatementKind.DUTY
                            for statement in statements[first:]):
        return statements
    return [dataclasses.replace(statement, kind=StatementKind.BOILERPLATE)
            if statement.kind is StatementKind.DUTY and not _worded_as_work(statement.text, lang) else statement
            for statement in statements[:first]] + statements[first:]


def _worded_as_work(text: str, lang) -> bool:
    """A duty verb first ("Lead the payments squad", "Leads ...", "Leading ..."), or the wording of the job's work
    (``intro_work_patterns``: "you", "responsible for", "the role ...", someone named doing it)."""
    lowered = text.lower()
    words = split_words(lowered)
    return (bool(words) and is_verb_among(words[0], load_language().duty_verbs)) \
        or any_match(lang.intro_work_patterns, lowered)


def _blocks(text: str) -> list[tuple[bool, str]]:
    """(is_bullet, text) per bullet or line, with wrapped lines joined back to the line they continue.

    A line continues the previous one when that one does not end a sentence and this one starts in
    lowercase: PDFs and e-mails wrap long bullets and sentences over several lines.
    """
    blocks: list[list] = []
    for raw_line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        lines = _remembered_lines(raw_line) if len(raw_line) <= _REMEMBERED_LINE_CHARS else _read_lines(raw_line)
        for is_bullet, body in lines:
            if (not is_bullet and blocks and body[0].islower() and not _SENTENCE_END_RE.search(blocks[-1][1])
                    and len(blocks[-1][1]) < _MAX_STATEMENT_CHARS * 20):
                blocks[-1][1] = f"{blocks[-1][1]} {body}"
                continue
            blocks.append([is_bullet, body])
    return [(is_bullet, body) for is_bullet, body in blocks]


@lru_cache(maxsize=32_768)
def _remembered_lines(raw_line: str) -> tuple[tuple[bool, str], ...]:
    return _read_lines(raw_line)


def _read_lines(raw_line: str) -> tuple[tuple[bool, str], ...]:
    """(is_bullet, text) of each line a raw line stands for (none for a line without text): a list flattened
    onto one line stands for its items, a heading run on at its end for a line of its own."""
    pieces = _pieces(raw_line) if len(raw_line) > 20 else (raw_line,)
    return tuple(read for piece in pieces if (read := _read_line(piece)) is not None)


def _pieces(line: str) -> list[str]:
    """The lines ``line`` stands for: a flattened list as its items, a trailing heading on its own."""
    parts = _INLINE_BULLET_RE.split(line)
    if len(parts) < 3:  # one mark inside a line is punctuation
        return _heading_split_off(line.rstrip(), after_sentence=True)
    pieces = _heading_split_off(parts[0].rstrip())
    for part in parts[1:]:
        item, *heading = _heading_split_off(part.rstrip())
        pieces += [f"- {item}", *heading]
    return pieces


def _heading_split_off(text: str, after_sentence: bool = False) -> list[str]:
    """``text``, or its words and the known heading that ends it ("... each sprint Qualifications:"), which
    flattened text runs on from the item before; in a line of its own only after a full sentence."""
    match = _TRAILING_HEADING_RE.search(text) if text.endswith(":") else None
    if match is None or (after_sentence and not _TERMINAL_RE.search(match.group(1))):
        return [text]
    if _heading_kind(match.group(2).rstrip(":")) is None:
        return [text]
    return [match.group(1), match.group(2)]


def _read_line(raw_line: str) -> tuple[bool, str] | None:
    """(is_bullet, text) of a line, None for a line without text."""
    line = _clean(raw_line)
    if not line:
        return None
    is_bullet = bool(_BULLET_RE.match(line))
    body = _clean(_BULLET_RE.sub("", line, count=1)) if is_bullet else line
    return (is_bullet, body) if body else None


def _clean(line: str) -> str:
    line = _MD_HEADING_RE.sub("", line) if line.lstrip().startswith("#") else line
    stripped = line.lstrip()
    if stripped and not stripped[0].isascii() and not _BULLET_RE.match(stripped):  # list marks are not decoration
        line = _DECORATION_RE.sub("", stripped)
    if "**" in line or "__" in line:  # emphasis needs one of them
        line = _EMPHASIS_RE.sub(r"\2", line)
    return " ".join(line.split())  # whitespace runs to one space, none at the ends


def _heading(body: str) -> tuple[str, str] | None:
    """(heading, rest of line) when ``body`` is a heading or a list lead-in, else None."""
    return _remembered_heading(body) if len(body) <= _REMEMBERED_LINE_CHARS else _read_heading(body)


@lru_cache(maxsize=16_384)
def _remembered_heading(body: str) -> tuple[str, str] | None:
    return _read_heading(body)


def _read_heading(body: str) -> tuple[str, str] | None:
    words = body.split()
    if body.endswith(":") and len(words) <= _MAX_HEADING_WORDS:
        heading = body.rstrip(":").strip()
        return (heading, "") if heading else None
    if body.endswith("?") and len(words) <= 20:
        return body, ""
    match = _INLINE_HEADING_RE.match(body)
    if match and len(match.group(1).split()) <= 4 and _heading_kind(match.group(1)) is not None:
        return match.group(1).strip(), match.group(2).strip()
    short = len(words) <= _SHORT_HEADING_WORDS and not _TERMINAL_RE.search(body)
    if short and (_heading_kind(body) is not None or _looks_like_title_case(words)):
        return body, ""
    return None


@lru_cache(maxsize=16_384)
def _subheading(body: str) -> tuple[str, str] | None:
    """A short line in sentence case over a list ("Strategy and planning" before its bullets): a subheading,
    unless it reads as a duty itself (a verb or a pronoun first: "Own the roadmap", "You will")."""
    words = body.split()
    if len(words) > _SHORT_HEADING_WORDS or ":" in body or _SENTENCE_END_RE.search(body) or not body[:1].isupper():
        return None
    first = words[0].lower()
    verbs = load_language().duty_verbs
    first_word = (split_words(first) or [first])[0]
    if first in _SUBJECT_WORDS or first in verbs or verb_lemma(first_word, gerunds=False) in verbs:
        return None
    return body, ""


def _looks_like_title_case(words: list[str]) -> bool:
    long_words = [word for word in words if len(word) >= 4 and word[0].isalpha()]
    return bool(long_words) and all(word[0].isupper() for word in long_words)


def _heading_kind(heading: str, lang=None) -> StatementKind | None:
    """Kind of section a heading opens: short headings by keywords, longer lead-ins by their wording."""
    if lang is None or lang is load_language().segment:
        return _default_heading_kind(heading)
    return _read_heading_kind(heading, lang)


@lru_cache(maxsize=16_384)
def _default_heading_kind(heading: str) -> StatementKind | None:
    return _read_heading_kind(heading, load_language().segment)


def _is_value(body: str, heading: tuple[str, str], lang) -> bool:
    """Whether a line read as a heading only for its capitals is a field's value ("9 April")."""
    return not heading[1] and not body.endswith((":", "?")) and _heading_kind(heading[0], lang) is None


def _is_field(heading: str, lang) -> bool:
    """Whether a heading names one field of a posting ("Location", "Salary"), whose value is one line."""
    return any_match(lang.field_headings, " ".join(heading.strip(" :").lower().split()))


# A question heading in the order of a question ("What will you be doing?", "What are we looking for?") is read in
# the order of the statement its patterns are written in ("what you will be doing", "what we are looking for").
_INVERTED_QUESTION_RE = re.compile(
    r"^(what|who|how|where|why|which)( [a-z]+)? (will|would|are|do|does|can|could|should|shall|is) "
    r"(you|we|(?:the|this|your) (?:role|job|work|position|day))\b")


def _read_heading_kind(heading: str, lang) -> StatementKind | None:
    heading = " ".join(heading.strip(" :").lower().split())
    kind = _read_heading_words(heading, lang)
    if kind is None and heading.endswith("?") and (question := _INVERTED_QUESTION_RE.match(heading)):
        wh, extra, verb, subject = question.groups()
        verb = "" if verb in ("do", "does") else f" {verb}"  # "what does the role involve" -> "what the role involve"
        rest = heading[question.end():].rstrip(" ?")  # patterns that end a heading ("... get$") must still match
        kind = _read_heading_words(f"{wh}{extra or ''} {subject}{verb}{rest}", lang)
    return kind


def _read_heading_words(heading: str, lang) -> StatementKind | None:
    if any_match(lang.field_headings, heading):
        return StatementKind.BOILERPLATE
    if len(heading.split()) <= _SHORT_HEADING_WORDS:
        groups = ((lang.duty_headings, StatementKind.DUTY), (lang.requirement_headings, StatementKind.REQUIREMENT),
                  (lang.boilerplate_headings, StatementKind.BOILERPLATE))
    else:  # a longer heading is a lead-in to duties or requirements, or opens boilerplate from its first words
        groups = ((lang.duty_lead_ins, StatementKind.DUTY), (lang.requirement_lead_ins, StatementKind.REQUIREMENT),
                  (lang.long_boilerplate_headings, StatementKind.BOILERPLATE))
    for patterns, kind in groups:
        if any_match(patterns, heading):
            return kind
    return None


def _emit(statements: list[Statement], text: str, section_kind: StatementKind, section: str, lang) -> None:
    if len(text) <= _REMEMBERED_LINE_CHARS and lang is load_language().segment:
        statements += _remembered_statements(text, section_kind, section)
    else:
        statements += _statements(text, section_kind, section, lang)


@lru_cache(maxsize=32_768)
def _remembered_statements(text: str, section_kind: StatementKind, section: str) -> tuple[Statement, ...]:
    # The same bullet under the same heading recurs across the descriptions of one template.
    return _statements(text, section_kind, section, load_language().segment)


def _statements(text: str, section_kind: StatementKind, section: str, lang) -> tuple[Statement, ...]:
    found = []
    opening_kind = None  # kind of the sentence's first part, when it is split at semicolons
    for part in _split_semicolons(text):
        part = part[:_MAX_STATEMENT_CHARS].strip()
        if len(part) < 3 or not (part[0].isalpha() or any(ch.isalpha() for ch in part)):
            continue
        kind = classify_statement(part, section_kind, lang)
        # "We have an ambition to create brilliant services; to give our staff the best tools; and to build
        # a digital team": a part that only continues the sentence ("to ...", "and ...") is context when its
        # opening is. A part with a subject of its own ("your job is to decide ...") is read on its own.
        if opening_kind is None:
            opening_kind = kind
        elif (kind is StatementKind.DUTY and opening_kind is not StatementKind.DUTY
              and _CONTINUATION_RE.match(part)):
            kind = opening_kind
        found.append(Statement(part, kind, section))
    return tuple(found)


def _split_semicolons(text: str) -> list[str]:
    parts = [part.strip() for part in text.split(";")]
    if len(parts) > 1 and all(len(part.split()) >= _SEMICOLON_MIN_WORDS for part in parts if part):
        return [part for part in parts if part]
    return [text]


def classify_statement(text: str, section_kind: StatementKind = StatementKind.DUTY, lang=None) -> StatementKind:
    """Kind of one statement: boilerplate and requirement wording win over the section's kind.

    Examples
    --------
    >>> classify_statement("5+ years of experience shipping B2B products").value
    'requirement'
    >>> classify_statement("We are an equal opportunity employer.").value
    'boilerplate'
    >>> classify_statement("Own the roadmap for the payments platform").value
    'duty'
    """
    lang = lang or load_language().segment
    lowered = straight_apostrophes(text.lower())
    remembered = lang is load_language().segment and len(lowered) <= _MAX_STATEMENT_CHARS
    if _boilerplate_wording(lowered) if remembered else any_match(lang.boilerplate_patterns, lowered):
        return StatementKind.BOILERPLATE
    if section_kind is StatementKind.BOILERPLATE:
        return StatementKind.BOILERPLATE
    if _requirement_wording(lowered) if remembered else any_match(lang.requirement_patterns, lowered):
        return StatementKind.REQUIREMENT
    return section_kind


def clear_caches() -> None:
    """Forget what was remembered per line, paragraph and statement (benchmarks measure new texts)."""
    for remembered in (_remembered_heading, _default_heading_kind, _boilerplate_wording, _requirement_wording,
                       _remembered_statements, _remembered_lines, _subheading, html_to_text):
        remembered.cache_clear()
    clear_sentences()


# The packaged language's answers for statement wording, remembered (statements recur across the
# descriptions of an export: templates, boilerplate).

@lru_cache(maxsize=16_384)
def _boilerplate_wording(lowered: str) -> bool:
    return any_match(load_language().segment.boilerplate_patterns, lowered)


@lru_cache(maxsize=16_384)
def _requirement_wording(lowered: str) -> bool:
    return any_match(load_language().segment.requirement_patterns, lowered)
