"""Build the binary sample organisations from the text sources beside this script, deterministically.

Writes (the generated files are committed too, so users can open them without running this):

- ``enterprise_workday.xlsx``: Meridian Mutual, a fictional insurer exported from Workday (cover sheet,
  workers sheet, job profiles sheet); job profiles from ``sources/enterprise_profiles.yaml``, the
  organisation structure from :data:`TRIBES` and :func:`build_enterprise` below.
- ``jd_folder/*.docx`` and ``jd_folder/*.pdf``: Tidewater Logistics' job descriptions, from
  ``sources/jd_documents/*.md`` (the ``.md`` and ``.txt`` documents in ``jd_folder/`` are written by hand).

Run from anywhere::

    python sample_orgs/make_samples.py            # (re)write the files
    python sample_orgs/make_samples.py --out DIR  # write them into DIR instead (the tests compare)

The same sources always give the same bytes: timestamps inside the zip containers and the document
properties are fixed, and the PDF carries no creation date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import textwrap
import zipfile
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "sources"
FIXED_TIME = dt.datetime(2025, 3, 31, 9, 0, 0)
ZIP_TIME = (2025, 3, 31, 9, 0, 0)

# Which job-description source becomes which kind of document in jd_folder/.
DOCUMENT_FORMATS = {
    "product_owner": "docx",
    "engineering_manager": "docx",
    "technical_product_manager": "docx",
    "product_manager": "pdf",
    "product_marketing_manager": "pdf",
}

# -- the enterprise: Meridian Mutual ----------------------------------------------------------------

# Tribe -> its squads. The tribes marked True also host a Program Manager seconded from the Enterprise
# PMO next to their own Technical Program Manager (the planted program-management contest).
TRIBES = {
    "Claims": (True, ["First Notice of Loss", "Claims Triage", "Repair Network", "Fraud Signals"]),
    "Policy Admin": (True, ["Quote and Buy", "Renewals", "Endorsements", "Broker Integration"]),
    "Customer Portal": (False, ["My Account", "Documents", "Self-Service Claims", "Notifications"]),
    "Payments and Billing": (True, ["Premium Collection", "Refunds", "Direct Debit", "Billing Statements"]),
    "Data Platform": (False, ["Data Ingestion", "Pricing Models", "Reporting", "Customer 360"]),
}
SQUAD_ENGINEERS = 4  # software engineers per squad, besides the tech lead and the QA engineer
APPRENTICE_SQUADS = 5  # the first squads of the list also have two apprentices under their tech lead
LOCATIONS = ("London", "Leeds", "Edinburgh", "Cardiff", "Remote - UK")
_FIRST = (
    "Aaliyah Aarav Abena Adam Ahmed Aiko Alejandro Alice Amir Ana Andrei Anika Arjun Astrid Ayo Beatriz Ben "
    "Bilal Bongani Carla Chen Chiara Chloe Connor Daniel Daria Dev Diego Dimitri Eilidh Elena Emeka Emma "
    "Esther Fatima Femi Finn Gabriel Grace Hamza Hana Harriet Hassan Ines Isaac Ivy Jack Jamal Jana Javier "
    "Jia Joao Jonas Kai Kamala Karim Katarzyna Kemi Kenji Khadija Kiran Lars Laila Leon Lin Lucia Luis "
    "Maeve Malik Marek Maria Mateus Maya Mehmet Mei Mia Milan Mohammed Nadia Naledi Nikhil Nina Noah Nour "
    "Oisin Olivia Omar Oscar Paloma Pedro Priya Rahul Rania Rhys Rosa Ruben Saanvi Samira Sean Sofia Sunil "
    "Tariq Theo Tomas Uche Valentina Vikram Wanjiru Xavier Yara Yusuf Zainab Zoe"
)
_LAST = (
    "Abara Adeyemi Ahmed Andersen Bailey Baptiste Barros Bergstrom Bianchi Boateng Brennan Carvalho Chowdhury "
    "Clarke Costa Dabrowski Das Davies Dimitrov Douglas Edwards Eriksen Evans Farouk Ferreira Fischer Fraser "
    "Gallagher Garcia Ghosh Gill Gonzalez Hansen Haddad Hughes Ibrahim Iqbal Jansen Jones Kamara Kaur Kelly "
    "Khan Kowalski Kumar Larsen Lewis Lindqvist MacLeod Mahmoud Martin Mensah Mistry Moreau Morgan Murphy "
    "Nakamura Ndlovu Nguyen Novak Nowak Obi Okafor Oliveira Osei Owen Papadopoulos Patel Pereira Petrov "
    "Quinn Rahman Reid Rossi Santos Schmidt Shah Silva Singh Sokolova Stewart Suzuki Tanaka Taylor Thomas "
    "Usman Varga Walsh Watson Weber Williams Wong Yilmaz Young Zhang Zielinski"
)
FIRST_NAMES, LAST_NAMES = tuple(_FIRST.split()), tuple(_LAST.split())


@dataclass
class Worker:
    employee_id: str
    name: str
    profile: str
    title: str
    sup_org: str
    cost_center: str
    manager_id: str
    manager_name: str
    location: str
    hire_date: str


class _Roster:
    """Hands out ids, names, locations and hire dates in a fixed order, so the workbook never changes."""

    def __init__(self, profiles: dict[str, dict]):
        self.profiles = profiles
        self.workers: list[Worker] = []
        self._used_names: set[str] = set()

    def _name(self, index: int) -> str:
        step = 0
        while True:
            first = FIRST_NAMES[(index * 7 + step) % len(FIRST_NAMES)]
            last = LAST_NAMES[(index * 13 + index // len(LAST_NAMES) + step * 3) % len(LAST_NAMES)]
            name = f"{first} {last}"
            if name not in self._used_names:
                self._used_names.add(name)
                return name
            step += 1

    def add(self, profile: str, sup_org: str, cost_center: str, manager: Worker | None, title: str = "") -> Worker:
        index = len(self.workers)
        hire = dt.date(2012, 1, 9) + dt.timedelta(days=(index * 97) % 4700)
        worker = Worker(
            employee_id=str(21001 + index * 3), name=self._name(index), profile=profile,
            title=title or self.profiles[profile]["title"], sup_org=sup_org, cost_center=cost_center,
            manager_id=manager.employee_id if manager else "", manager_name=manager.name if manager else "",
            location=LOCATIONS[(index * 5) % len(LOCATIONS)], hire_date=hire.isoformat(),
        )
        self.workers.append(worker)
        return worker


def build_enterprise(profiles: dict[str, dict]) -> list[Worker]:
    """Meridian Mutual's workers, top down: 7 management levels, sup orgs, cost centers."""
    r = _Roster(profiles)
    executive = "Office of the CEO"
    ceo = r.add("chief_executive_officer", executive, "Executive", None)
    cdo = r.add("chief_digital_officer", executive, "Executive", ceo)
    cmo = r.add("chief_marketing_officer", executive, "Executive", ceo)
    coo = r.add("chief_operating_officer", executive, "Executive", ceo)
    cfo = r.add("chief_financial_officer", executive, "Executive", ceo)
    cpo = r.add("chief_people_officer", executive, "Executive", ceo)

    # As in many Workday reports, a manager is listed in the organisation they manage.
    digital = "Digital Leadership"
    vp_product = r.add("vp_digital_product", digital, "Digital Product", cdo)
    vp_engineering = r.add("vp_digital_engineering", digital, "Digital Engineering", cdo)
    r.add("solution_architect", digital, "Digital Engineering", vp_engineering, title="Chief Architect")
    head_design = r.add("head_of_design", "Design", "Design", cdo)
    for _ in range(6):
        r.add("product_designer", "Design", "Design", head_design)

    # Product marketing sits in two departments: Digital Product's own lead and a manager seconded from
    # Marketing both claim the digital products' positioning and launches.
    product_leadership = "Digital Product Leadership"
    r.add("product_marketing_lead_digital", product_leadership, "Digital Product", vp_product)
    r.add("product_marketing_manager", product_leadership, "Marketing", vp_product,
          title="Senior Product Marketing Manager, Digital")
    r.add("product_operations_manager", product_leadership, "Digital Product", vp_product)
    for tribe in TRIBES:
        gpm = r.add("group_product_manager", f"{tribe} Product", "Digital Product", vp_product,
                    title=f"Group Product Manager, {tribe}")
        r.add("product_manager", f"{tribe} Product", "Digital Product", gpm)

    heads = {tribe: r.add("head_of_engineering", f"{tribe} Tribe Leadership", "Digital Engineering", vp_engineering,
                          title=f"Head of Engineering, {tribe}") for tribe in TRIBES}

    operations = "Operations Leadership"
    head_pmo = r.add("head_of_pmo", operations, "Enterprise PMO", coo)
    claims_director = r.add("director_claims_operations", operations, "Operations", coo)
    service_director = r.add("director_customer_service", operations, "Operations", coo)
    for _ in range(4):
        r.add("program_manager", "Enterprise PMO", "Enterprise PMO", head_pmo)
    for _ in range(2):
        r.add("portfolio_analyst", "Enterprise PMO", "Enterprise PMO", head_pmo)

    for tribe, (contested, squads) in TRIBES.items():
        head = heads[tribe]
        leadership = f"{tribe} Tribe Leadership"
        r.add("technical_program_manager", leadership, "Digital Engineering", head)
        if contested:
            r.add("program_manager", leadership, "Enterprise PMO", head)
        r.add("agile_coach", leadership, "Digital Engineering", head)
        r.add("solution_architect", leadership, "Digital Engineering", head)
        for squad in squads:
            team = f"{tribe} - {squad}"
            em = r.add("engineering_manager", team, "Digital Engineering", head)
            r.add("product_owner", team, "Digital Product", em)
            r.add("scrum_master", team, "Digital Engineering", em)
            lead = r.add("tech_lead", team, "Digital Engineering", em)
            for _ in range(SQUAD_ENGINEERS):
                r.add("software_engineer", team, "Digital Engineering", em)
            r.add("qa_engineer", team, "Digital Engineering", em)
            squads_so_far = sum(1 for w in r.workers if w.profile == "engineering_manager")
            if squads_so_far <= APPRENTICE_SQUADS:
                for _ in range(2):
                    r.add("apprentice_engineer", team, "Digital Engineering", lead)

    marketing = "Marketing Leadership"
    director_pmm = r.add("director_product_marketing", marketing, "Marketing", cmo)
    director_brand = r.add("director_brand", marketing, "Marketing", cmo)
    director_demand = r.add("director_demand_generation", marketing, "Marketing", cmo)
    for line in ("Motor", "Home", "Commercial", "Life"):
        r.add("product_marketing_manager", "Product Marketing", "Marketing", director_pmm,
              title=f"Product Marketing Manager, {line}")
    r.add("sales_enablement_specialist", "Product Marketing", "Marketing", director_pmm)
    for _ in range(4):
        r.add("brand_manager", "Brand and Communications", "Marketing", director_brand)
    for _ in range(4):
        r.add("demand_generation_manager", "Demand Generation", "Marketing", director_demand)

    for director, unit, lead_profile, staff_profile in (
            (claims_director, "Claims Operations", "claims_team_lead", "claims_handler"),
            (service_director, "Customer Service", "customer_service_team_lead", "customer_service_adviser")):
        for number in (1, 2):
            lead = r.add(lead_profile, unit, "Operations", director)
            for _ in range(7):
                r.add(staff_profile, f"{unit} Team {number}", "Operations", lead)
    for _ in range(3):
        r.add("finance_business_partner", "Finance", "Finance", cfo)
    for _ in range(3):
        r.add("hr_business_partner", "People", "People", cpo)
    return r.workers


WORKER_HEADERS = ("Employee_ID", "Worker", "Business Title", "Job Profile", "Supervisory Organization",
                  "Cost Center", "Manager - ID", "Manager", "Location", "Hire Date", "Job Profile Summary")


def enterprise_workbook(profiles: dict[str, dict]) -> bytes:
    """The Workday-style export as .xlsx bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workers = build_enterprise(profiles)
    book = Workbook()
    cover = book.active
    cover.title = "Cover"
    for row in (("Worker Roster with Job Profiles",), ("Company", "Meridian Mutual (fictional sample organisation)"),
                ("Effective as of", "2025-03-31"), ("Include Subordinate Organizations", "Yes"),
                ("Workers", len(workers)), ("Run by", "HRIS Reporting")):
        cover.append(row)
    cover["A1"].font = Font(bold=True, size=14)
    cover.column_dimensions["A"].width = 34
    cover.column_dimensions["B"].width = 48

    sheet = book.create_sheet("Workers")
    sheet.append(WORKER_HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for w in workers:
        sheet.append((w.employee_id, w.name, w.title, profiles[w.profile]["title"], w.sup_org, w.cost_center,
                      w.manager_id, w.manager_name, w.location, w.hire_date, _one_line(profiles[w.profile]["summary"])))
    sheet.freeze_panes = "A2"
    for column, width in zip("ABCDEFGHIJK", (12, 24, 40, 30, 36, 20, 13, 24, 14, 12, 80), strict=True):
        sheet.column_dimensions[column].width = width

    catalogue = book.create_sheet("Job Profiles")
    catalogue.append(("Job Profile", "Job Profile Summary", "Workers on Profile"))
    for cell in catalogue[1]:
        cell.font = Font(bold=True)
    counts: dict[str, int] = {}
    for w in workers:
        counts[w.profile] = counts.get(w.profile, 0) + 1
    for profile_id in sorted(counts, key=lambda p: profiles[p]["title"]):
        profile = profiles[profile_id]
        catalogue.append((profile["title"], _one_line(profile["summary"]), counts[profile_id]))

    book.properties.creator = "Workday"
    book.properties.lastModifiedBy = "Workday"
    book.properties.created = FIXED_TIME
    book.properties.modified = FIXED_TIME
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _one_line(html: str) -> str:
    """Workday puts the rich-text summary in one cell: HTML without the YAML's line breaks."""
    return re.sub(r">\s+<", "><", " ".join(html.split()))


# -- job-description documents: Tidewater Logistics -------------------------------------------------

@dataclass(frozen=True)
class Block:
    kind: str  # title | heading | bullet | paragraph
    text: str


def parse_source(text: str) -> list[Block]:
    """The small Markdown subset of the sources: '# title', '## heading', '- bullet', paragraphs."""
    blocks = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("## "):
            blocks.append(Block("heading", line[3:].strip()))
        elif line.startswith("# "):
            blocks.append(Block("title", line[2:].strip()))
        elif line.startswith("- "):
            blocks.append(Block("bullet", line[2:].strip()))
        else:
            blocks.append(Block("paragraph", line))
    return blocks


def docx_bytes(blocks: list[Block]) -> bytes:
    """A Word document with real Title, Heading 2 and List Bullet styles (what HR teams produce)."""
    import docx

    document = docx.Document()
    styles = {"title": "Title", "heading": "Heading 2", "bullet": "List Bullet", "paragraph": "Normal"}
    for block in blocks:
        document.add_paragraph(block.text, style=styles[block.kind])
    properties = document.core_properties
    properties.author = properties.last_modified_by = "Tidewater People Team"
    properties.title = next((b.text for b in blocks if b.kind == "title"), "")
    properties.created = properties.modified = FIXED_TIME
    properties.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue())


_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
PDF_WRAP = 92  # characters per line at the font size below; longer lines wrap like in a real PDF


def pdf_bytes(blocks: list[Block]) -> bytes:
    """A one-page A4 PDF with selectable text, drawn with matplotlib's PDF backend."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    sizes = {"title": 16, "heading": 11.5, "bullet": 10, "paragraph": 10}
    with plt.rc_context({"pdf.fonttype": 42, "font.family": "DejaVu Sans", "svg.hashsalt": "samples"}):
        fig = plt.figure(figsize=(8.27, 11.69))
        y = 0.94
        for block in blocks:
            weight = "bold" if block.kind in ("title", "heading") else "normal"
            if block.kind in ("title", "heading") and y < 0.94:
                y -= 0.012
            prefix = "• " if block.kind == "bullet" else ""
            lines = textwrap.wrap(block.text, PDF_WRAP - len(prefix)) or [""]
            for number, line in enumerate(lines):
                indent = 0.1 if block.kind == "bullet" else 0.08
                text = (prefix if number == 0 else "  " if prefix else "") + line
                fig.text(indent, y, text, fontsize=sizes[block.kind], fontweight=weight, va="top")
                y -= 0.024 if block.kind == "title" else 0.019
            if y < 0.05:
                raise ValueError("the job description does not fit on one page; shorten the source")
        buffer = io.BytesIO()
        fig.savefig(buffer, format="pdf", metadata={"CreationDate": None, "Producer": None, "Creator": None,
                                                    "Title": next((b.text for b in blocks if b.kind == "title"), "")})
        plt.close(fig)
    return buffer.getvalue()


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with every entry's timestamp fixed (Office files carry the time they were saved)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time over ours
                content = _MODIFIED.sub(rb"\g<1>" + FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>",
                                        content)
            target.writestr(entry, content)
    return buffer.getvalue()


# -- main --------------------------------------------------------------------------------------------

def build(out: Path) -> list[Path]:
    """Write every generated sample into ``out`` (same layout as sample_orgs/); returns the paths."""
    profiles = yaml.safe_load((SOURCES / "enterprise_profiles.yaml").read_text(encoding="utf-8"))["profiles"]
    files = {Path("enterprise_workday.xlsx"): enterprise_workbook(profiles)}
    for stem, kind in sorted(DOCUMENT_FORMATS.items()):
        blocks = parse_source((SOURCES / "jd_documents" / f"{stem}.md").read_text(encoding="utf-8"))
        files[Path("jd_folder") / f"{stem}.{kind}"] = docx_bytes(blocks) if kind == "docx" else pdf_bytes(blocks)
    written = []
    for relative, data in files.items():
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write into (default: sample_orgs/)")
    args = parser.parse_args(argv)
    for path in build(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
