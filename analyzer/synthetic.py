"""Synthetic product organisations for benchmarks and scale tests (deterministic for a seed).

The organisation looks like a product company's HR export: tribes of squads (product manager and/or
product owner, engineering manager, engineers, a designer, sometimes QA, a data engineer or a scrum
master; platform squads have a technical product manager), tribe staff (a lead product manager, a head
of engineering, a program manager, an agile coach, a design lead, analysts), a product marketing group
per few tribes (head of product marketing, PMMs, marketing managers) and a small executive team.

Job descriptions come from templates in ``analyzer/data/synthetic.yaml`` (written for this project),
varied by wording alternatives, product areas, layout (bullets, prose, HTML) and boilerplate. Like a
real export, many people share a description: the number of distinct descriptions is a parameter
(default: one per 20 rows). A share of the people (default 10%) have a *personalised* description: their
profile's text with sentences naming their tribe and manager, shared by the people of one role in one
tribe. A few rows (default 5%) carry layout noise (blank lines, doubled spaces, Windows line breaks)
that normalises away.

Examples
--------
>>> org = generate_org(60, seed=1)
>>> len(org.people), org.people[0].title
(60, 'Chief Product Officer')
>>> org == generate_org(60, seed=1)
True
>>> sorted(set(org.columns)) == sorted(CSV_COLUMNS)
True
"""

from __future__ import annotations

import csv
import html
import math
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml

CSV_COLUMNS = ("Employee ID", "Full Name", "Job Title", "Team", "Department", "Manager ID", "Job Description")
ROWS_PER_DISTINCT = 20
_CHOICE_RE = re.compile(r"\[([^\[\]]*)\]")
_SLOT_RE = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class SyntheticPerson:
    """One row of the export."""

    id: str
    name: str
    title: str
    team: str
    department: str
    manager_id: str
    description: str
    kind: str  # the template role the description was written from (product_owner, software_engineer, ...)


@dataclass
class SyntheticOrg:
    """A generated organisation: its people in export order, and the generator's settings."""

    people: list[SyntheticPerson]
    seed: int
    personalised_rows: int = 0
    columns: tuple[str, ...] = CSV_COLUMNS
    settings: dict[str, float] = field(default_factory=dict)

    def rows(self) -> list[dict[str, str]]:
        """The export as dicts keyed by :data:`CSV_COLUMNS`."""
        return [dict(zip(CSV_COLUMNS, (p.id, p.name, p.title, p.team, p.department, p.manager_id, p.description),
                         strict=True)) for p in self.people]

    def write_csv(self, path: str | Path) -> Path:
        """Write the export as a UTF-8 CSV file (quoted where needed); returns the path."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
            writer.writeheader()
            writer.writerows(self.rows())
        return target

    @property
    def distinct_descriptions(self) -> int:
        """Distinct description texts as written (layout noise counts as distinct)."""
        return len({person.description for person in self.people})


@lru_cache(maxsize=1)
def _text() -> dict:
    return yaml.safe_load((resources.files("analyzer") / "data" / "synthetic.yaml").read_text(encoding="utf-8"))


def expand(template: str, rng: random.Random, slots: dict[str, str]) -> str:
    """Fill a template: ``[a|b]`` picks an alternative (innermost first), ``{slot}`` a value.

    Examples
    --------
    >>> expand("[Own|Drive] the {area} roadmap", random.Random(0), {"area": "search"})
    'Drive the search roadmap'
    """
    text = template
    while True:
        found = _CHOICE_RE.search(text)
        if not found:
            break
        text = text[:found.start()] + rng.choice(found.group(1).split("|")) + text[found.end():]
    return _SLOT_RE.sub(lambda m: slots.get(m.group(1), m.group(0)), text)


# -- organisation structure ------------------------------------------------------------------------

@dataclass
class _Seat:
    kind: str
    team: str
    department: str
    manager: int | None  # index of the manager's seat
    tribe: str = ""


class _Builder:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.seats: list[_Seat] = []

    def add(self, kind: str, team: str, department: str, manager: int | None, tribe: str = "") -> int:
        self.seats.append(_Seat(kind, team, department, manager, tribe))
        return len(self.seats) - 1

    def tribe(self, name: str, cpo: int | None, vp_eng: int | None) -> None:
        rng = self.rng
        lead = self.add("lead_product_manager", name, name, cpo, name)
        head_eng = self.add("head_of_engineering", name, name, vp_eng, name)
        for kind, count in (("program_manager", rng.randint(1, 2)), ("agile_coach", 1),
                            ("design_lead", 1), ("data_analyst", rng.randint(1, 2))):
            for _ in range(count):
                self.add(kind, name, name, lead, name)
        coach = next(i for i in range(lead, len(self.seats)) if self.seats[i].kind == "agile_coach")
        design_lead = next(i for i in range(lead, len(self.seats)) if self.seats[i].kind == "design_lead")
        for squad in rng.sample(_text()["squads"], rng.randint(5, 9)):
            team = f"{name} {squad}"
            manager = self.add("engineering_manager", team, name, head_eng, name)
            if squad in ("Platform", "Reliability", "Data") and rng.random() < 0.6:
                product = ["technical_product_manager"]
            else:
                draw = rng.random()
                product = (["product_manager"] if draw < 0.45 else ["product_owner"] if draw < 0.75
                           else ["product_manager", "product_owner"])
            for kind in product:
                self.add(kind, team, name, lead, name)
            for _ in range(rng.randint(4, 7)):
                self.add("software_engineer", team, name, manager, name)
            for kind, chance, reports_to in (("qa_engineer", 0.4, manager), ("data_engineer", 0.3, manager),
                                             ("product_designer", 0.75, design_lead), ("scrum_master", 0.35, coach)):
                if rng.random() < chance:
                    self.add(kind, team, name, reports_to, name)

    def marketing(self, number: int, cpo: int | None) -> None:
        team = f"Product Marketing {number}"
        head = self.add("head_of_product_marketing", team, "Marketing", cpo)
        for _ in range(self.rng.randint(3, 5)):
            self.add("product_marketing_manager", team, "Marketing", head)
        for _ in range(self.rng.randint(1, 2)):
            self.add("marketing_manager", team, "Marketing", head)


def _structure(rows: int, rng: random.Random) -> list[_Seat]:
    builder = _Builder(rng)
    cpo = builder.add("executive", "Leadership", "Leadership", None) if rows >= 2 else None
    vp_eng = builder.add("executive", "Leadership", "Leadership", cpo) if rows >= 2 else None
    number, tribes = 0, _text()["tribes"]
    while len(builder.seats) < rows:
        name = tribes[number % len(tribes)] + (f" {number // len(tribes) + 1}" if number >= len(tribes) else "")
        builder.tribe(name, cpo, vp_eng)
        number += 1
        if number % 4 == 0:
            builder.marketing(number // 4, cpo)
    seats = builder.seats[:rows]
    return [_Seat(s.kind, s.team, s.department, s.manager if s.manager is not None and s.manager < rows else None,
                  s.tribe) for s in seats]


# -- descriptions ----------------------------------------------------------------------------------

def _variant(kind: str, rng: random.Random, as_html: bool) -> tuple[str, list[str]]:
    """(summary, blocks) of one job-description profile; blocks are joined after the summary."""
    text = _text()
    role = text["roles"][kind]
    slots = {name: rng.choice(values) for name, values in text["slots"].items()}
    slots["company"] = rng.choice(text["companies"])
    say = lambda template: expand(template, rng, slots)  # noqa: E731 - a local shorthand
    duties = [say(t) for t in rng.sample(role["duties"], min(len(role["duties"]), rng.randint(4, 8)))]
    requirements = [say(t) for t in rng.sample(text["requirements"]["common"], rng.randint(2, 4))]
    headings = {key: say(rng.choice(values)) for key, values in text["headings"].items()}
    summary = say(rng.choice(role["summary"])) if role.get("summary") and rng.random() < 0.8 else ""
    style = rng.choices(["bullets", "prose", "candidate"], weights=[7, 2, 1])[0]
    blocks: list[str] = []
    if rng.random() < 0.6:
        blocks.append(_section(headings["about"], [say(rng.choice(text["about"]))], "prose", as_html))
    blocks.append(_section(headings["duties"], duties, style, as_html))
    blocks.append(_section(headings["requirements"], requirements, "bullets", as_html))
    if rng.random() < 0.5:
        benefits = [say(template) for template in rng.sample(text["benefits"], 3)]
        blocks.append(_section(headings["benefits"], benefits, "bullets", as_html))
    return summary, blocks


def _section(heading: str, items: list[str], style: str, as_html: bool) -> str:
    if style == "prose":
        body = " ".join(_sentence(item) for item in items)
    elif style == "candidate":
        body = " ".join(_sentence(f"The successful candidate will {_lower_first(item)}") for item in items)
    else:
        body = None
    if as_html:
        title = f"<h3>{html.escape(heading.rstrip(':'))}</h3>"
        if body is not None:
            return f"{title}<p>{html.escape(body)}</p>"
        return title + "<ul>" + "".join(f"<li>{html.escape(item)}</li>" for item in items) + "</ul>"
    if body is not None:
        return f"{heading}\n{body}"
    bullet = "-" if len(items) % 3 else "•"
    return heading + "\n" + "\n".join(f"{bullet} {item}" for item in items)


def _sentence(item: str) -> str:
    item = item.strip()
    return item if item.endswith((".", "!", "?")) else f"{item}."


def _lower_first(item: str) -> str:
    first, _, rest = item.partition(" ")
    keep = len(first) > 1 and first[1:].lower() != first[1:]  # OKRs, PRDs, APIs keep their capitals
    return (first if keep else first[:1].lower() + first[1:]) + (f" {rest}" if rest else "")


def _render(summary: str, blocks: list[str], as_html: bool, personal: str = "") -> str:
    lead = " ".join(part for part in (summary, personal) if part)
    if as_html:
        return (f"<p>{html.escape(lead)}</p>" if lead else "") + "".join(blocks)
    return "\n\n".join(([lead] if lead else []) + blocks)


def _noisy(text: str, rng: random.Random) -> str:
    """The same description with layout noise an export picks up (normalises back to the same text)."""
    lines = text.split("\n")
    noisy = []
    for line in lines:
        if " " in line and rng.random() < 0.3:
            line = line.replace(" ", "  ", 1)
        noisy.append(line + (" " if rng.random() < 0.2 else ""))
        if rng.random() < 0.2:
            noisy.append("")
    return "\r\n".join(noisy) if rng.random() < 0.5 else "\n".join(noisy)


def _allocate(counts: Counter, budget: int) -> dict[str, int]:
    """Profiles per role kind: proportional to the square root of headcount (many engineers share a profile)."""
    weights = {kind: math.sqrt(count) for kind, count in counts.items()}
    total = sum(weights.values())
    return {kind: max(1, min(counts[kind], round(budget * weight / total))) for kind, weight in weights.items()}


def generate_org(rows: int, seed: int = 0, distinct: int | None = None, personalised: float = 0.10,
                 html_share: float = 0.15, noise_share: float = 0.05) -> SyntheticOrg:
    """A synthetic product organisation of ``rows`` people (the same seed gives the same organisation).

    Parameters
    ----------
    rows:
        Number of people (rows of the export).
    seed:
        Random seed; everything (structure, names, texts) follows from it.
    distinct:
        Target number of distinct descriptions after normalisation (default ``rows // 20``, at least 20);
        personalised descriptions count towards it.
    personalised:
        Share of rows whose description is personalised (their tribe and manager named in it).
    html_share:
        Share of description profiles written as HTML (as exported by an applicant-tracking system).
    noise_share:
        Share of rows whose description carries layout noise (blank lines, doubled spaces, CRLF).
    """
    rng = random.Random(seed)
    seats = _structure(rows, rng)
    first, last = _text()["names"]["first"], _text()["names"]["last"]
    names = [f"{rng.choice(first)} {rng.choice(last)}" for _ in seats]
    ids = [str(100_001 + index) for index in range(len(seats))]
    target = distinct if distinct is not None else max(20, rows // ROWS_PER_DISTINCT)

    # Personalised groups first (people of one role in one tribe share a personalised text), so that the
    # base profiles fill the rest of the distinct-description budget.
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, seat in enumerate(seats):
        if seat.tribe and seat.kind != "executive":
            groups[(seat.tribe, seat.kind)].append(index)
    order = sorted(groups)
    rng.shuffle(order)
    wanted, chosen, covered = personalised * len(seats), [], 0
    for key in order:
        if covered >= wanted or len(chosen) >= target // 2:
            break
        chosen.append(key)
        covered += len(groups[key])
    counts = Counter(seat.kind for seat in seats)
    per_kind = _allocate(counts, max(len(counts), target - len(chosen)))

    profiles: dict[str, list[tuple[str, list[str], bool]]] = {}
    for kind in sorted(per_kind):
        profiles[kind] = []
        for _ in range(per_kind[kind]):
            as_html = rng.random() < html_share
            summary, blocks = _variant(kind, rng, as_html)
            profiles[kind].append((summary, blocks, as_html))
    pick = [rng.randrange(len(profiles[seat.kind])) for seat in seats]
    texts = [_render(*profiles[seat.kind][choice]) for seat, choice in zip(seats, pick, strict=True)]

    personal = _text()["personal"]
    for tribe, kind in chosen:
        members = groups[(tribe, kind)]
        lead = next((seats[i].manager for i in members if seats[i].manager is not None), None)
        slots = {"tribe": tribe, "manager": names[lead] if lead is not None else "the tribe lead",
                 **{name: rng.choice(values) for name, values in _text()["slots"].items()}}
        sentences = " ".join(expand(t, rng, slots) for t in rng.sample(personal, 2))
        summary, blocks, as_html = profiles[kind][pick[members[0]]]
        text = _render(summary, blocks, as_html, sentences)
        for index in members:
            texts[index] = text
    for index in range(len(texts)):
        if not texts[index].lstrip().startswith("<") and rng.random() < noise_share:
            texts[index] = _noisy(texts[index], rng)

    role_titles = {kind: spec["titles"] for kind, spec in _text()["roles"].items()}
    people = []
    for index, seat in enumerate(seats):
        slots = {"area": rng.choice(_text()["slots"]["area"]), "tribe": seat.tribe or seat.team}
        title = expand(rng.choice(role_titles[seat.kind]), rng, slots)
        if seat.kind == "executive":
            title = role_titles["executive"][0 if index == 0 else 2]
        manager = ids[seat.manager] if seat.manager is not None else ""
        people.append(SyntheticPerson(ids[index], names[index], title, seat.team, seat.department, manager,
                                      texts[index], seat.kind))
    return SyntheticOrg(people, seed, personalised_rows=covered,
                        settings={"distinct": target, "personalised": personalised, "html_share": html_share,
                                  "noise_share": noise_share})
