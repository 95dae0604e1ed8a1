"""The mapper as a spaCy pipeline component: ``responsibility_mapper``.

Add it to any spaCy pipeline (a blank English one is enough: no trained spaCy model is needed) and
every ``Doc`` is read as one job description:

- ``doc._.text_mapping``: the :class:`~analyzer.records.TextMapping` (statements with their kind,
  duty statements with the responsibilities they express, RACI level, subject, negation);
- ``doc._.responsibilities``: ``{responsibility id: strongest RACI level}`` the reader (the job
  holder) holds, from statements whose subject is the reader and that are not negated;
- ``doc.spans["statements"]``: one span per statement found in the text, labelled with its kind
  (``duty``, ``requirement``, ``boilerplate``, ``heading``); duty spans carry their
  :class:`~analyzer.records.StatementMapping` in ``span._.statement_mapping``.

The role model is data: the component's ``model`` setting is a path to a model file (empty for the
default model), and :meth:`ResponsibilityMapper.to_disk` stores a copy of that file (and of the example
adverts beside it) with the pipeline, so ``spacy.load(path)`` restores the same component (trained again
on load, or taken from this process's trained mappers). The component runs the same
:class:`~analyzer.mapping.mapper.Mapper` as ``analyze``; ``nlp.pipe`` maps each batch in one call, so
repeated texts are read once.

Importing this module registers the factory. It is deliberately not declared as a ``spacy_factories``
entry point: spaCy imports every entry-point factory whenever any pipeline is created, so every spaCy
program in the environment (this tool's own sentence splitter included) would import this package and
fail with it if it were broken.

Examples
--------
>>> import spacy
>>> import analyzer.mapping.component  # registers "responsibility_mapper"
>>> nlp = spacy.blank("en")
>>> _ = nlp.add_pipe("responsibility_mapper")
>>> doc = nlp("Responsibilities:\\n- Own and order the product backlog\\n- 5+ years of product experience")
>>> doc._.responsibilities
{'backlog_management': 'A'}
>>> [(span.label_, span.text) for span in doc.spans["statements"]]  # doctest: +NORMALIZE_WHITESPACE
[('heading', 'Responsibilities'), ('duty', 'Own and order the product backlog'),
 ('requirement', '5+ years of product experience')]
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from analyzer.mapping.mapper import check_mapper_options
from analyzer.model import RoleModel, default_model_path, load_model
from analyzer.records import Level, StatementKind, StatementMapping, TextMapping

COMPONENT_NAME = "responsibility_mapper"
SPANS_KEY = "statements"
_MODEL_FILE = "model.yaml"

for _doc_attribute in ("text_mapping", "responsibilities"):
    if not Doc.has_extension(_doc_attribute):
        Doc.set_extension(_doc_attribute, default=None)
if not Span.has_extension("statement_mapping"):
    Span.set_extension("statement_mapping", default=None)


def reader_levels(mapping: TextMapping) -> dict[str, str]:
    """Strongest RACI level per responsibility the reader holds, from a text's duty statements.

    Statements about someone else (a partner role, other people) and negated ones ("you will not
    manage people") hold nothing. This is the wording alone: the role-dependent rules of
    :mod:`analyzer.mapping.assemble` (a product owner's plain duty on the backlog counts as A) need the
    person's role and are applied by ``analyze``.

    Examples
    --------
    >>> from analyzer.records import ResponsibilityMatch, StatementMapping, TextMapping
    >>> own = ResponsibilityMatch("hiring", 0.9, Level.A)
    >>> not_me = ResponsibilityMatch("performance_reviews", 0.8, None)
    >>> reader_levels(TextMapping((), (StatementMapping("Hire; no reviews", (own, not_me)),)))
    {'hiring': 'A'}
    """
    levels: dict[str, Level] = {}
    for statement in mapping.mappings:
        for match in statement.matches:
            if match.subject is not None or match.level is None:
                continue
            held = levels.get(match.responsibility)
            if held is None or match.level.rank > held.rank:
                levels[match.responsibility] = match.level
    return {responsibility: level.value for responsibility, level in sorted(levels.items())}


class ResponsibilityMapper:
    """spaCy component that maps each ``Doc`` (one job description) onto a role model."""

    def __init__(self, nlp: Language, name: str = COMPONENT_NAME, model: str = "",
                 min_confidence: float | None = None, semantic: bool = False):
        self.name = name
        self.model_path = model
        # Checked when the pipeline is built, not at its first document.
        self.min_confidence = check_mapper_options(min_confidence, semantic)
        self.semantic = semantic
        self._model: RoleModel | None = None

    # Not named ``model``: spaCy checks pipes against its ListenedToComponent protocol with hasattr() on
    # ``model`` (a thinc model in its own pipes), which would load the role model from a path that, while a
    # saved pipeline is being loaded, may no longer exist.
    @property
    def role_model(self) -> RoleModel:
        if self._model is None:
            self._model = load_model(self.model_path or None)
        return self._model

    def _mapper(self):
        from analyzer.pipeline import get_mapper  # trained once per model per process, shared with analyze()

        return get_mapper(self.role_model, self.min_confidence, self.semantic)

    def __call__(self, doc: Doc) -> Doc:
        return self._annotate(doc, self._mapper().map_text(doc.text))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 256) -> Iterator[Doc]:
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._annotate_batch(batch)
                batch = []
        if batch:
            yield from self._annotate_batch(batch)

    def _annotate_batch(self, docs: list[Doc]) -> Iterator[Doc]:
        mappings = self._mapper().map_texts([doc.text for doc in docs])
        for doc, mapping in zip(docs, mappings, strict=True):
            yield self._annotate(doc, mapping)

    def _annotate(self, doc: Doc, mapping: TextMapping) -> Doc:
        doc._.text_mapping = mapping
        doc._.responsibilities = reader_levels(mapping)
        duty_mappings = iter(mapping.mappings)
        spans: list[Span] = []
        cursor = 0
        for statement in mapping.statements:
            statement_mapping: StatementMapping | None = None
            if statement.kind is StatementKind.DUTY:
                statement_mapping = next(duty_mappings, None)
            # Statements are cleaned text (bullets and markup removed, wrapped lines joined), so a
            # statement that no longer occurs verbatim in the document has no span; it stays in
            # doc._.text_mapping.
            start = doc.text.find(statement.text, cursor)
            if start < 0:
                continue
            span = doc.char_span(start, start + len(statement.text), label=statement.kind.value,
                                 alignment_mode="expand")
            if span is None:
                continue
            cursor = start + len(statement.text)
            span._.statement_mapping = statement_mapping
            spans.append(span)
        doc.spans[SPANS_KEY] = spans
        return doc

    # -- serialisation: the role model travels with the pipeline, as data ---------------------------

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        source = Path(self.model_path) if self.model_path else default_model_path()
        shutil.copyfile(source, folder / _MODEL_FILE)
        # The model's example adverts that sit beside its file travel with it, at the same relative paths.
        files = dict.fromkeys(path for advert in self.role_model.adverts for path in (advert.group, advert.source))
        for relative in files:
            if not Path(relative).is_absolute() and (source.parent / relative).is_file():
                (folder / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source.parent / relative, folder / relative)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> ResponsibilityMapper:
        stored = Path(path) / _MODEL_FILE
        if stored.exists():
            self.model_path = str(stored)
            self._model = None
        return self


@Language.factory(COMPONENT_NAME, default_config={"model": "", "min_confidence": None,
                                                  "semantic": False})
def make_responsibility_mapper(nlp: Language, name: str, model: str, min_confidence: float | None,
                               semantic: bool) -> ResponsibilityMapper:
    """Factory of the ``responsibility_mapper`` component (``model``: a role-model path, "" for the default;
    ``min_confidence``: the confidence a statement needs to be mapped, on the scale shown to users (None: the model's
    default; the statements' own scores are the classifier's probability: ``model.confidence_scale(semantic)
    .shown(score)`` puts one on that scale), see
    :meth:`analyzer.mapping.mapper.Mapper.with_min_confidence`; ``semantic``: read sentence vectors too, with
    the ``semantic`` extra)."""
    return ResponsibilityMapper(nlp, name, model, min_confidence, semantic)
