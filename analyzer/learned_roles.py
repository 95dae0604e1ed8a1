"""Role readers that learn from labelled real postings, measured against the rules on a round they did not learn from.

The content reader (:func:`analyzer.mapping.roles.role_from_content`) follows rules and constants chosen on the real
postings kept for development. This module answers the question its figures raise: would a reader that *learns* from
those postings do better? Each round is read by readers trained on the other rounds only (leave one round out), side
by side with the rules:

- **stacked**: a classifier over the evidence the rules weigh (:func:`analyzer.mapping.roles.evidence_features`: per
  role the document score, the statement votes, breadth, signature, asked-for experience; the best job family's lead),
  with the rules' own answer as features too (so it can learn their corrections) and without it; a logistic
  regression (standardised features, ``C`` 0.3, classes balanced) and a random forest;
- **document classifier trained on postings**: :class:`analyzer.mapping.jobs.JobClassifier` trained with the other
  rounds' postings beside the model's example adverts (each weighing what an advert weighs), then the rules as they are.

A posting labelled "other" needs its job family (the index's ``family`` column, one of the model's families) to be
trained on by the document classifier; those without one are read but not trained on. The texts of the real postings
stay outside the repository (``evaluation/real_dev``), so nothing learnt here is shipped: it is a measurement.

Run ``python -m analyzer.learned_roles ROUND1 ROUND2`` (folders with their ``index.csv``). Round 3 is for confirming
only: do not pass it to choose a reader.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import numpy as np

from analyzer.adverts import OTHER, OTHER_PREFIX, Advert
from analyzer.errors import AnalyzerError
from analyzer.mapping.mapper import Mapper
from analyzer.mapping.roles import evidence_features, role_from_content
from analyzer.model import RoleModel, load_model
from analyzer.roleeval import read_labelled_folder

_SEED = 0


@dataclass(frozen=True)
class Posting:
    """One labelled posting of a round: its label (a role id or ``"other"``), family (for "other", if labelled), text,
    the rules' reading and the evidence behind it."""

    round: str
    file: str
    gold: str
    family: str
    text: str
    rules: str
    features: tuple[float, ...]


@dataclass(frozen=True)
class Tally:
    """Readings of one round by one reader: product roles right, product roles, other jobs kept out, other jobs."""

    roles_right: int
    roles: int
    others_kept_out: int
    others: int

    def __str__(self) -> str:
        return f"roles {self.roles_right}/{self.roles}, other jobs kept out {self.others_kept_out}/{self.others}"


def tally(golds: Sequence[str], readings: Sequence[str]) -> Tally:
    """Count a round's readings against its labels.

    >>> str(tally(["product_owner", "scrum_master", "other"], ["product_owner", "other", "other"]))
    'roles 1/2, other jobs kept out 1/1'
    """
    pairs = list(zip(golds, readings, strict=True))
    return Tally(sum(gold == read != OTHER for gold, read in pairs), sum(gold != OTHER for gold, _ in pairs),
                 sum(gold == read == OTHER for gold, read in pairs), sum(gold == OTHER for gold, _ in pairs))


def read_round(mapper: Mapper, model: RoleModel, folder: Path) -> list[Posting]:
    """The labelled postings of ``folder`` with the rules' reading and its evidence."""
    entries, texts = read_labelled_folder(folder)
    postings = []
    for entry, text, mapping in zip(entries, texts, mapper.map_texts(texts), strict=True):
        reading = role_from_content(mapping, model)
        features = tuple(value for _, value in evidence_features(mapping, model, reading))
        postings.append(Posting(folder.name, entry["file"], entry["canonical_role"], entry.get("family") or "", text,
                                reading.role or OTHER, features))
    return postings


def _with_rules(posting: Posting, labels: Sequence[str]) -> list[float]:
    return [*posting.features, *(float(posting.rules == label) for label in labels)]


def _learners() -> dict[str, Callable[[], object]]:
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return {
        "logistic regression": lambda: make_pipeline(
            StandardScaler(), LogisticRegression(C=0.3, class_weight="balanced", max_iter=5000)),
        "random forest": lambda: RandomForestClassifier(n_estimators=500, min_samples_leaf=2, random_state=_SEED),
    }


def stacked_readings(train: Sequence[Posting], read: Sequence[Posting], model: RoleModel
                     ) -> dict[str, list[str]]:
    """Readings of ``read`` by each stacked learner trained on ``train``: with the rules' answer among the features
    and without it."""
    labels = [*model.role_ids, OTHER]
    golds = [posting.gold for posting in train]
    readings: dict[str, list[str]] = {}
    for name, make in _learners().items():
        for with_rules in (True, False):
            shape = (lambda p: _with_rules(p, labels)) if with_rules else (lambda p: list(p.features))
            learner = make()
            learner.fit(np.array([shape(p) for p in train]), golds)
            key = f"stacked {name}, " + ("with the rules' answer" if with_rules else "evidence only")
            readings[key] = [str(label) for label in learner.predict(np.array([shape(p) for p in read]))]
    return readings


def postings_as_adverts(postings: Sequence[Posting], model: RoleModel) -> list[Advert]:
    """Postings as training documents for the document classifier: a role's label, or "other:<family>" for a job of a
    family the model knows (others are left out: the classifier learns families, not "other")."""
    families = {family.id for family in model.families}
    adverts = []
    for posting in postings:
        if posting.gold != OTHER:
            label = posting.gold
        elif posting.family in families:
            label = OTHER_PREFIX + posting.family
        else:
            continue
        adverts.append(Advert(label, posting.text, f"{posting.round}/{posting.file}", f"real:{posting.round}"))
    return adverts


def trained_on_postings_readings(mapper: Mapper, model: RoleModel, train: Sequence[Posting],
                                 read: Sequence[Posting]) -> list[str]:
    """Readings of ``read`` by the rules, with a document classifier trained on the model's adverts and ``train``."""
    from analyzer.mapping.jobs import JobClassifier

    jobs = JobClassifier(model, adverts=[*model.adverts, *postings_as_adverts(train, model)])
    with_postings = Mapper(model, classifier=mapper.classifier, jobs=jobs)
    return [role_from_content(mapping, model).role or OTHER
            for mapping in with_postings.map_texts([posting.text for posting in read])]


def compare(mapper: Mapper, model: RoleModel, rounds: dict[str, list[Posting]], out: TextIO | None = None) -> None:
    """Print (to ``out``, default standard output) for each round the rules' tally and each learned reader's, trained
    on the other rounds."""
    out = out or sys.stdout  # looked up at call time: a default bound at import would miss a replaced stdout
    for name, read in rounds.items():
        train = [posting for other, postings in rounds.items() if other != name for posting in postings]
        golds = [posting.gold for posting in read]
        print(f"== {name} ({len(read)} postings), read by readers trained on the other rounds ({len(train)}) ==",
              file=out)
        print(f"  {'rules (role_from_content)':<58} {tally(golds, [p.rules for p in read])}", file=out)
        for key, readings in stacked_readings(train, read, model).items():
            print(f"  {key:<58} {tally(golds, readings)}", file=out)
        trained = trained_on_postings_readings(mapper, model, train, read)
        print(f"  {'rules, document classifier trained on the postings too':<58} {tally(golds, trained)}", file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analyzer.learned_roles", description=__doc__.split("\n\n")[0])
    parser.add_argument("rounds", type=Path, nargs="+", metavar="ROUND",
                        help="folders of labelled postings with their index.csv, two or more (rounds 1 and 2)")
    parser.add_argument("--model", type=Path, help="role model file (default: the bundled one)")
    args = parser.parse_args(argv)
    if len(args.rounds) < 2:
        parser.error("give two or more rounds: each is read by readers trained on the others")
    try:
        model = load_model(args.model)
        mapper = Mapper(model)
        rounds = {str(folder): read_round(mapper, model, folder) for folder in args.rounds}
        compare(mapper, model, rounds)
    except AnalyzerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
