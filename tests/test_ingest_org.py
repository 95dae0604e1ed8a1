"""Ingest: reporting structure, scopes, folders of job descriptions, and privacy (--anonymize)."""

from __future__ import annotations

import pytest
from fixtures.ingest.builders import write_docx, write_pdf

from analyzer.errors import InputError
from analyzer.ingest import read_org
from analyzer.ingest.structure import reporting_cycles


def write(tmp_path, text: str, name: str = "org.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def codes(org) -> list[str]:
    return [problem.code for problem in org.problems]


# -- reporting structure ----------------------------------------------------------------------------

def test_managers_by_id_name_and_email(tmp_path):
    path = write(tmp_path, "Employee ID,Name,Work Email,Job Title,Manager\n"
                           "1,Dee Fox,dee@x.io,Engineering Manager,\n2,Ann Lee,ann@x.io,Product Owner,1\n"
                           "3,Bo Roy,bo@x.io,Scrum Master,dee fox\n4,Cy Dow,cy@x.io,Engineer,DEE@X.IO\n")
    org = read_org(path)
    assert [record.manager_id for record in org.records] == [None, "1", "1", "1"]
    assert "dee@x.io" not in repr(org.records)  # e-mails only resolve managers
    assert codes(org) == ["title_only"]


def test_manager_id_with_name_fallback(tmp_path):
    path = write(tmp_path, "Associate ID,Legal Name,Job Title,Reports To Associate ID,Reports To Name\n"
                           "A1,Dee Fox,EM,,\nA2,Ann Lee,PO,,Dee Fox\nA3,Bo Roy,SM,A1,Someone Else\n")
    assert [record.manager_id for record in read_org(path).records] == [None, "A1", "A1"]


def test_structure_problems_are_reported_not_raised(tmp_path):
    path = write(tmp_path, "Employee ID,Name,Job Title,Manager\n"
                           "1,Ann Lee,PO,2\n2,Bo Roy,SM,1\n"  # a cycle
                           "3,Cy Dow,EM,3\n"  # manages themself
                           "4,Di Ash,PM,99\n"  # manager not in the export
                           "5,Al Kim,Designer,\n6,Al Kim,Designer,\n7,Ed Orr,Engineer,al kim\n")  # ambiguous name
    org = read_org(path)
    assert len(org.records) == 7
    assert sorted(set(codes(org))) == ["ambiguous_manager", "dangling_manager", "multiple_roots",
                                       "reporting_cycle", "self_manager", "title_only"]
    by_code = {problem.code: problem for problem in org.problems}
    assert by_code["reporting_cycle"].message == "reporting cycle: '1' -> '2' -> '1'"
    assert by_code["reporting_cycle"].where == "rows 1, 2"
    assert by_code["dangling_manager"].where == "row 4, column 'Manager'"
    assert org.records[2].manager_id is None  # the self-reference is dropped
    assert org.records[3].manager_id == "99"  # kept: the manager may be outside the export
    assert org.records[6].manager_id is None


def test_reporting_cycles_are_found_once_each():
    assert reporting_cycles({"a": "b", "b": "c", "c": "a", "x": "a", "y": "z", "z": "y"}) == [["a", "b", "c"],
                                                                                          ["y", "z"]]


# -- scopes -----------------------------------------------------------------------------------------

ORG = ("Employee ID,Name,Job Title,Squad,Department,Manager ID\n"
       "1,Vic Hart,VP Product,,Product,\n"
       "2,Dee Fox,Engineering Manager,Search,Engineering,1\n"
       "3,Ann Lee,Product Owner,Search,Product,2\n"
       "4,Bo Roy,Software Engineer,,Engineering,2\n"
       "5,Cy Dow,Product Manager,,,1\n")


@pytest.mark.parametrize(("scope", "expected"), [
    ("auto", ["Product", "Search", "Search", "Engineering", "team of Vic Hart (1)"]),
    ("team", ["org", "Search", "Search", "org", "org"]),
    ("department", ["Product", "Engineering", "Product", "Engineering", "org"]),
    ("manager", ["team of Vic Hart (1)", "team of Dee Fox (2)", "team of Dee Fox (2)", "team of Dee Fox (2)",
                 "team of Vic Hart (1)"]),
])
def test_scopes(tmp_path, scope, expected):
    org = read_org(write(tmp_path, ORG), scope=scope)
    assert [record.scope for record in org.records] == expected
    assert org.records[1].team == "Search" and org.records[3].team == "Engineering"  # team falls back to dept


def test_scope_needs_its_column(tmp_path):
    path = write(tmp_path, "Job Title,Team\nPO,Search\n")
    with pytest.raises(InputError, match="--scope manager needs a manager column"):
        read_org(path, scope="manager")
    with pytest.raises(InputError, match="unknown scope 'squads'"):
        read_org(path, scope="squads")


def test_graph_uses_the_scope_from_ingest(tmp_path, tiny_model):
    from analyzer.graph import person
    from analyzer.pipeline import analyze

    analysis = analyze(write(tmp_path, ORG), model=tiny_model, scope="manager")
    assert person(analysis.graph, "4")["scope"] == "team of Dee Fox (2)"


# -- folders of job descriptions --------------------------------------------------------------------

@pytest.fixture()
def jd_folder(tmp_path):
    folder = tmp_path / "jds"
    (folder / "search").mkdir(parents=True)
    (folder / "search" / "product_owner_JD_v2.md").write_text(
        "# Product Owner\n\n## Responsibilities\n- Own and order the **product backlog**.\n", encoding="utf-8")
    (folder / "scrum.txt").write_text("Job description\nScrum Master\n\nFacilitate stand-ups and retrospectives.\n",
                                      encoding="cp1252")
    write_docx(folder / "em.docx", "Engineering Manager", ["You lead a team of engineers."], ["Hire engineers."])
    write_pdf(folder / "pm.pdf", ["Product Manager", "Own the product roadmap and decide what to build next."])
    (folder / "designer.html").write_text("<h1>Product Designer</h1><p>Design the user experience.</p>",
                                          encoding="utf-8")
    (folder / "analyst.txt").write_text("You will analyse usage data and report on it every week.\n", encoding="utf-8")
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 not a document")
    write_pdf(folder / "scan.pdf", [])
    (folder / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "~$em.docx").write_bytes(b"lock")
    return folder


def test_folder_of_job_descriptions(jd_folder):
    org = read_org(jd_folder)
    assert org.kind == "documents" and org.rows == 8
    assert [(r.id, r.title, r.team) for r in org.records] == [
        ("analyst.txt", "Analyst", None),
        ("designer.html", "Product Designer", None),
        ("em.docx", "Engineering Manager", None),
        ("pm.pdf", "Product Manager", None),
        ("scrum.txt", "Scrum Master", None),
        ("search/product_owner_JD_v2.md", "Product Owner", "search"),
    ]
    texts = {record.id: record.text for record in org.records}
    assert texts["em.docx"] == "You lead a team of engineers.\n- Hire engineers."
    assert texts["pm.pdf"] == "Own the product roadmap and decide what to build next."
    assert texts["search/product_owner_JD_v2.md"] == "Responsibilities\nOwn and order the product backlog."
    assert texts["analyst.txt"] == "You will analyse usage data and report on it every week."
    assert [(s.id, s.reason) for s in org.skipped] == [
        ("broken.docx", "the Word document is damaged (BadZipFile)"), ("scan.pdf", "the document has no text")]
    assert any("logo.png" in warning for warning in org.warnings)
    assert not any("~$" in warning for warning in org.warnings)


def test_single_document_as_input(tmp_path):
    path = write_docx(tmp_path / "Head of Product.docx", None, ["Own the product vision and strategy for the company."])
    org = read_org(path)
    assert [(r.title, r.text) for r in org.records] == [
        ("Head of Product", "Own the product vision and strategy for the company.")]


def test_documents_joined_by_title(tmp_path, jd_folder):
    roster = write(tmp_path, "Employee ID,Name,Job Title,Manager\n1,Dee,Engineering Manager,\n2,Ann,Product Owner,1\n"
                             "3,Bo,product owner,1\n4,Cy,Data Scientist,1\n")
    org = read_org(roster, documents=jd_folder)
    assert [r.source for r in org.records] == ["em.docx", "search/product_owner_JD_v2.md",
                                               "search/product_owner_JD_v2.md", ""]
    assert org.records[1].text == org.records[2].text != ""
    assert not org.title_only
    assert {"no_document", "unmatched_document", "bad_document"} <= set(codes(org))


def test_documents_joined_by_file_column(tmp_path, jd_folder):
    roster = write(tmp_path, "Employee ID,Job Title,JD File\n1,Lead,em.docx\n2,Owner,search/product_owner_JD_v2\n"
                             "3,Writer,missing.docx\n")
    org = read_org(roster, documents=jd_folder)
    assert org.columns["file"] == "JD File"
    assert [r.source for r in org.records] == ["em.docx", "search/product_owner_JD_v2.md", ""]
    assert [r.title for r in org.records] == ["Lead", "Owner", "Writer"]


def test_folder_without_documents_is_fatal(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError) as caught:
        read_org(tmp_path / "empty")
    assert [problem.code for problem in caught.value.problems] == ["no_documents"]


# -- privacy ------------------------------------------------------------------------------------------

PRIVATE = ("Employee ID,Name,Job Title,Team,Manager ID,Annual Salary,Date of Birth,Home Address,National ID,"
           "Job Description\n"
           'E-101,Marguerite Okonkwo,Product Owner,Search,E-102,987654,1979-02-13,"17 Quayside Lane, Leeds",'
           'QQ123456C,"- Own and order the product backlog\n- Define acceptance criteria with Reginald Fairbanks"\n'
           "E-102,Reginald Fairbanks,Engineering Manager,Search,,876543,1981-07-30,9 Mill Street,AB987654D,"
           "\"- Hire engineers and run interviews\n- Be accountable for code quality\"\n"
           "E-103,Ingrid Solberg,Scrum Master,Search,E-102,765432,1990-11-02,Flat 2 Elm Court,ZZ111222E,"
           "- Facilitate stand-ups and retrospectives\n")
SECRETS = ["987654", "876543", "765432", "1979-02-13", "Quayside", "Mill Street", "Elm Court", "QQ123456C", "AB987654D"]
PEOPLE = ["Marguerite", "Okonkwo", "Reginald", "Fairbanks", "Ingrid", "Solberg", "E-101", "E-102", "E-103"]


def report_bytes(tmp_path, tiny_model, **options) -> dict[str, bytes]:
    from analyzer.pipeline import analyze
    from analyzer.report import write_reports

    analysis = analyze(write(tmp_path, PRIVATE), model=tiny_model, **options)
    out = tmp_path / ("anon" if options.get("anonymize") else "plain")
    return {path.name: path.read_bytes() for path in write_reports(analysis, out)}


def test_columns_not_needed_never_reach_any_output(tmp_path, tiny_model):
    outputs = report_bytes(tmp_path, tiny_model)
    assert set(outputs) >= {"report.json", "report.md", "report.html"}
    for name, content in outputs.items():
        for secret in SECRETS:
            assert secret.encode() not in content, (name, secret)
    assert b"Marguerite Okonkwo" in outputs["report.json"]  # the check can fail: names do appear


def test_anonymize_replaces_names_and_ids_everywhere(tmp_path, tiny_model):
    import json

    outputs = report_bytes(tmp_path, tiny_model, anonymize=True)
    for name, content in outputs.items():
        for secret in SECRETS + PEOPLE:
            assert secret.encode() not in content, (name, secret)
    report = json.loads(outputs["report.json"])
    people = {person["id"]: person for person in report["people"]}
    assert sorted(people) == ["P001", "P002", "P003"]
    assert people["P001"]["name"] == "Person 001" and people["P001"]["manager_id"] == "P002"
    assert people["P003"]["manager_id"] == "P002"
    (tmp_path / "again").mkdir()
    again = json.loads(report_bytes(tmp_path / "again", tiny_model, anonymize=True)["report.json"])
    assert again["people"] == report["people"] and again["findings"] == report["findings"]  # deterministic


def test_anonymize_with_cli_flag(tmp_path, capsys):
    from conftest import TINY_MODEL

    from analyzer.cli import main

    model = tmp_path / "tiny.yaml"
    model.write_text(TINY_MODEL, encoding="utf-8")
    out = tmp_path / "out"
    assert main([str(write(tmp_path, PRIVATE)), "--anonymize", "--model", str(model), "--out", str(out),
                 "--format", "json,md"]) == 0
    printed = capsys.readouterr().out
    assert "column title    <- 'Job Title' (known header)" in printed
    for path in out.iterdir():
        assert b"Okonkwo" not in path.read_bytes()


def test_anonymize_covers_skipped_rows_and_warnings(tmp_path):
    path = write(tmp_path, "Employee ID,Name,Job Title,Manager\nE-1,Marguerite Okonkwo,PO,Reginald Fairbanks\n"
                           "E-1,Marguerite Okonkwo,PM,\nE-2,Ingrid Solberg,,E-1\n")
    org = read_org(path, anonymize=True)
    everything = repr((org.records, org.skipped, org.warnings, org.problems))
    for secret in ("E-1", "E-2", "Marguerite", "Okonkwo", "Reginald", "Fairbanks", "Ingrid"):
        assert secret not in everything, secret
    assert [(s.row, s.id) for s in org.skipped] == [(2, "P001"), (3, "P002")]
    assert org.records[0].manager_id == "X001"
    assert "manager 'X001' of 'P001' is not in the export" in org.warnings[0]


def test_anonymize_cleans_names_out_of_document_warnings(tmp_path):
    folder = tmp_path / "jds"
    folder.mkdir()
    (folder / "Marguerite Okonkwo.txt").write_text("Own and order the product backlog.", encoding="utf-8")
    (folder / "Reginald Fairbanks notes.txt").write_text("Hire engineers and run interviews.", encoding="utf-8")
    (folder / "Ingrid Solberg.png").write_bytes(b"\x89PNG")
    (folder / "ingrid_solberg-scrum.md").write_text("Facilitate retrospectives.", encoding="utf-8")
    roster = write(tmp_path, "Employee ID,Name,Job Title,JD File\nE-1,Marguerite Okonkwo,Product Owner,"
                             "Marguerite Okonkwo.txt\nE-2,Reginald Fairbanks,Engineering Manager,\n"
                             "E-3,Ingrid Solberg,Scrum Master,\n")
    plain = read_org(roster, documents=folder)
    assert any("Reginald Fairbanks notes.txt" in w for w in plain.warnings)  # the check below can fail
    assert any("Ingrid Solberg.png" in w for w in plain.warnings)
    assert any("ingrid_solberg-scrum.md" in w for w in plain.warnings)
    org = read_org(roster, documents=folder, anonymize=True)
    everything = repr((org.records, org.skipped, org.warnings, org.problems))
    for secret in ("Marguerite", "Okonkwo", "Reginald", "Fairbanks", "Ingrid", "Solberg", "E-1"):
        assert secret not in everything, secret
    assert any("Person 002 notes.txt" in w for w in org.warnings)
    assert any("Person 003-scrum.md" in w for w in org.warnings)  # a name joined by _ in a file name
    assert org.records[0].source == "Person 001.txt"


def test_anonymize_finds_names_whose_letters_fold_long(tmp_path):
    # ß folds to "ss" and İ to i + a combining dot: the names must still be found, in the texts, the documents' names
    # and the warnings that quote them (here the one about a description that is not in English).
    folder = tmp_path / "jds"
    folder.mkdir()
    german = ("Du verantwortest das Backlog und die Roadmap für unser Team und arbeitest mit den Entwicklern an den "
              "Zielen, die wir gemeinsam mit dem Vertrieb und dem Marketing festlegen.")
    (folder / "Jürgen_Weiß_PO.txt").write_text(german, encoding="utf-8")
    (folder / "İlker_Yılmaz.txt").write_text("Own the backlog with İlker Yılmaz's team.", encoding="utf-8")
    roster = write(tmp_path, "Employee ID,Name,Job Title,JD File\nE-1,Jürgen Weiß,Product Owner,Jürgen_Weiß_PO.txt\n"
                             "E-2,İlker Yılmaz,Product Manager,İlker_Yılmaz.txt\n")
    org = read_org(roster, documents=folder, anonymize=True)
    everything = repr((org.records, org.warnings, org.problems))
    for secret in ("Jürgen", "Weiß", "İlker", "Yılmaz"):
        assert secret not in everything, secret
    assert any(w.startswith("document 'Person 001_PO.txt': 1 job description does not read as English")
               for w in org.warnings)


def test_a_document_that_opens_with_a_section_takes_its_title_from_the_file_name(tmp_path):
    # "Requirements" is a section heading and "- 5+ years ..." a list item: neither is the job's title.
    folder = tmp_path / "jds"
    folder.mkdir()
    (folder / "senior_product_manager_JD.txt").write_text(
        "Requirements\n- 5+ years of product management experience\n- Excellent communication skills\n",
        encoding="utf-8")
    (folder / "po.txt").write_text("Qualifications:\nProduct Owner\n- Own the backlog\n", encoding="utf-8")
    titles = {record.source: record.title for record in read_org(folder).records}
    assert titles == {"senior_product_manager_JD.txt": "Senior Product Manager", "po.txt": "Product Owner"}
