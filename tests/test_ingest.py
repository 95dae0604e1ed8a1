"""Ingest: file formats, encodings, delimiters, workbooks, JSON and the header dialects of HR systems.

Every fixture is a tiny literal written into tmp_path (binary ones by tests/fixtures/ingest/builders.py).
Bad input is in test_ingest_bad_input.py; structure, scopes, documents and privacy in test_ingest_org.py.
"""

from __future__ import annotations

import json

import pytest
from fixtures.ingest.builders import write_xls, write_xlsx

from analyzer.errors import InputError
from analyzer.ingest import ColumnChoice, read_org
from analyzer.ingest.columns import FIELDS, header_data, normalise_header
from analyzer.ingest.english import reads_as_english

PEOPLE = [
    ["Employee ID", "Name", "Job Title", "Team", "Manager ID", "Job Description"],
    ["1", "Dee Fox", "Engineering Manager", "Search", "", "Hire engineers and run interviews."],
    ["2", "Ann Lee", "Product Owner", "Search", "1", "Own and order the product backlog."],
]


def titles(org) -> list[str]:
    return [record.title for record in org.records]


# -- CSV: delimiters, encodings, line endings --------------------------------------------------------

@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_csv_delimiter_is_sniffed(tmp_path, delimiter):
    text = "\n".join(delimiter.join(f'"{cell}"' if "," in cell else cell for cell in row) for row in [
        ["Employee ID", "Job Title", "Job Description"],
        ["1", "Product Owner", "Own the backlog, the roadmap, and the acceptance criteria."],
        ["2", "Scrum Master", "Run stand-ups, reviews, and retrospectives."],
    ]) + "\n"
    path = tmp_path / "org.csv"
    path.write_text(text, encoding="utf-8")
    org = read_org(path)
    assert org.delimiter == delimiter
    assert titles(org) == ["Product Owner", "Scrum Master"]
    assert org.records[0].text == "Own the backlog, the roadmap, and the acceptance criteria."


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252"])
def test_csv_encodings_are_detected(tmp_path, encoding):
    text = ("Employee ID;Name;Job Title;Job Description\r\n"
            "1;José Müller;Product Owner – Zürich;Own the “backlog” for the équipe.\r\n"
            "2;Zoë Ångström;Scrum Master;Facilitate retrospectives.\r\n")
    path = tmp_path / "org.csv"
    path.write_bytes(text.encode(encoding))
    org = read_org(path)
    assert [record.name for record in org.records] == ["José Müller", "Zoë Ångström"]
    assert org.records[0].title == "Product Owner – Zürich"
    assert org.records[0].text == "Own the “backlog” for the équipe."


def test_short_windows_1252_file_is_not_misread(tmp_path):
    # A few accented bytes only: charset detectors alone often guess Mac Roman or cp1250 here.
    path = tmp_path / "org.csv"
    path.write_bytes("Name,Title\nRené,Chef d’équipe\n".encode("cp1252"))
    org = read_org(path)
    assert (org.encoding, org.records[0].name, org.records[0].title) == ("cp1252", "René", "Chef d’équipe")


def test_cyrillic_windows_1251_is_not_forced_into_1252(tmp_path):
    path = tmp_path / "org.csv"
    path.write_bytes("Имя,Должность,Title\nИван Петров,Менеджер продукта,Product Manager\n"
                     "Анна Смирнова,Владелец продукта,Product Owner\n".encode("cp1251"))
    org = read_org(path)
    assert org.encoding != "cp1252"
    assert titles(org) == ["Product Manager", "Product Owner"]


def test_multiline_quoted_cells_and_crlf(tmp_path):
    path = tmp_path / "org.csv"
    path.write_bytes(b'Employee ID,Job Title,Job Description\r\n1,Product Owner,"- Own the backlog\r\n- Accept '
                     b'stories"\r\n2,Scrum Master,Run retros\r\n')
    org = read_org(path)
    assert org.records[0].text == "- Own the backlog\n- Accept stories"
    assert org.rows == 2 and [record.row for record in org.records] == [1, 2]


def test_leading_zeros_and_formulas_stay_text(tmp_path):
    path = tmp_path / "org.csv"
    path.write_text('Employee ID,Job Title,Manager ID\n007,"=HYPERLINK(""http://x"",""PO"")",\n'
                    "008,@SUM(A1),007\n", encoding="utf-8")
    org = read_org(path)
    assert [record.id for record in org.records] == ["007", "008"]
    assert org.records[0].title == '=HYPERLINK("http://x","PO")'
    assert org.records[1].manager_id == "007"


def test_html_in_descriptions_becomes_text(tmp_path):
    path = tmp_path / "org.csv"
    path.write_text('Job Title,Job Description\nPO,"<p>You will:</p><ul><li>Own the backlog</li>'
                    '<li>Accept &amp; reject stories</li></ul><script>alert(1)</script>"\n', encoding="utf-8")
    assert read_org(path).records[0].text == "You will:\n- Own the backlog\n- Accept & reject stories"


def test_non_english_text_is_kept(tmp_path):
    path = tmp_path / "org.csv"
    path.write_text("Mitarbeiter,Stellenbezeichnung,Abteilung,Stellenbeschreibung\n"
                    "Jürgen Groß,Produktmanager,Suche,Verantwortet die Roadmap und priorisiert Funktionen.\n"
                    "李雷,产品负责人,搜索,负责产品待办事项列表。\n", encoding="utf-8")
    org = read_org(path)
    assert org.columns == {"name": "Mitarbeiter", "title": "Stellenbezeichnung", "department": "Abteilung",
                           "text": "Stellenbeschreibung"}
    assert [record.title for record in org.records] == ["Produktmanager", "产品负责人"]
    assert org.records[1].text == "负责产品待办事项列表。"


def test_title_block_above_the_header_is_skipped(tmp_path):
    path = tmp_path / "org.csv"
    path.write_text("Employee census,,\nGenerated 2024-05-01,,\n,,\nEmployee ID,Job Title,Department\n"
                    "1,Product Owner,Search\n", encoding="utf-8")
    org = read_org(path)
    assert org.header_row == 4 and titles(org) == ["Product Owner"]
    assert any("text above the header row" in warning for warning in org.warnings)


# -- workbooks ------------------------------------------------------------------------------------

def test_xlsx_picks_the_sheet_of_people(tmp_path):
    path = write_xlsx(tmp_path / "org.xlsx", {
        "Summary": [["Headcount"], ["Total", 2], ["Open roles", 1], ["Attrition", 0.1]],
        "People": [[1001, "Product Owner", "Search"], [1002, "Scrum Master", "Search"]],
        "Staff": PEOPLE,
    })
    org = read_org(path)
    assert org.sheet == "Staff" and titles(org) == ["Engineering Manager", "Product Owner"]
    assert org.records[1].manager_id == "1"


def test_xlsx_sheet_option_by_name_or_number(tmp_path):
    path = write_xlsx(tmp_path / "org.xlsx", {"A": PEOPLE, "B": [["Job Title"], ["Designer"]]})
    assert titles(read_org(path, sheet="b")) == ["Designer"]
    assert titles(read_org(path, sheet=2)) == ["Designer"]
    with pytest.raises(InputError, match=r"no sheet named 'C' \(sheets: 'A', 'B'\)"):
        read_org(path, sheet="C")


def test_xlsx_values_read_as_shown(tmp_path):
    import datetime as dt

    path = write_xlsx(tmp_path / "org.xlsx", {"People": [
        ["Employee ID", "Job Title", "Start date", "Manager ID"],
        [1001, "Product Owner", dt.datetime(2024, 3, 1), None],
        [1002.0, '=CONCAT("Scrum", " Master")', None, 1001],
    ]})
    org = read_org(path)
    assert [record.id for record in org.records] == ["1001", "1002"]
    # No computed value in a script-written file: the formula is kept as text, never evaluated.
    assert org.records[1].title == '=CONCAT("Scrum", " Master")'
    assert org.records[1].manager_id == "1001"


def test_xls_legacy_workbook(tmp_path):
    path = write_xls(tmp_path / "org.xls", {"Notes": [["Read me"]], "Workers": PEOPLE})
    org = read_org(path)
    assert (org.kind, org.sheet) == ("xls", "Workers")
    assert titles(org) == ["Engineering Manager", "Product Owner"]


def test_html_table_saved_as_xls(tmp_path):
    path = tmp_path / "export.xls"
    path.write_text("<html><body><table><tr><th>Associate ID</th><th>Job Title Description</th></tr>"
                    "<tr><td>A1</td><td>Product &amp; Design Lead</td></tr></table></body></html>", encoding="utf-8")
    org = read_org(path)
    assert org.kind == "html" and titles(org) == ["Product & Design Lead"]
    assert any("HTML page" in warning for warning in org.warnings)


# -- JSON -----------------------------------------------------------------------------------------

def test_json_list_of_records(tmp_path):
    path = tmp_path / "org.json"
    path.write_text(json.dumps([{"id": 1, "title": "PO", "duties": ["Own the backlog", "Accept stories"]},
                                {"id": 2, "title": "SM", "manager": 1}]), encoding="utf-8")
    org = read_org(path)
    assert [(r.id, r.title, r.manager_id) for r in org.records] == [("1", "PO", None), ("2", "SM", "1")]
    assert org.records[0].text == "Own the backlog\nAccept stories"


def test_json_object_holding_the_list_of_people(tmp_path):
    path = tmp_path / "bamboo.json"
    path.write_text(json.dumps({
        "fields": [{"id": "jobTitle", "type": "list", "name": "Job Title"}],
        "employees": [{"id": "4", "displayName": "Ann Lee", "jobTitle": "Product Owner", "department": "Search"}],
    }), encoding="utf-8")
    org = read_org(path)
    assert org.sheet == "employees" and titles(org) == ["Product Owner"]


def test_json_nested_records_are_flattened(tmp_path):
    path = tmp_path / "hibob.json"
    path.write_text(json.dumps({"Report_Entry": [
        {"worker": {"id": "7", "name": "Ann Lee", "work": {"title": "Product Owner", "department": "Search",
                                                           "reportsTo": {"id": "9", "displayName": "Dee Fox"}}}},
        {"worker": {"id": "9", "name": "Dee Fox", "work": {"title": "Engineering Manager", "department": "Search"}}},
    ]}), encoding="utf-8")
    org = read_org(path)
    assert org.columns["title"] == "work.title" and org.columns["manager"] == "work.reportsTo.id"
    assert [(r.id, r.name, r.manager_id, r.department) for r in org.records] == [
        ("7", "Ann Lee", "9", "Search"), ("9", "Dee Fox", None, "Search")]


def test_json_lines(tmp_path):
    path = tmp_path / "org.jsonl"
    path.write_text('{"title": "PO"}\n{"title": "SM"}\n', encoding="utf-8")
    assert titles(read_org(path)) == ["PO", "SM"]


# -- header dialects of HR systems ------------------------------------------------------------------

DIALECTS = {
    "Workday": (["Employee_ID", "Worker", "Business Title", "Supervisory Organization", "Manager - ID",
                 "Job Profile Summary"], {"id": "Employee_ID", "name": "Worker", "title": "Business Title",
                                          "team": "Supervisory Organization", "manager": "Manager - ID",
                                          "text": "Job Profile Summary"}),
    "BambooHR": (["Employee #", "First Name", "Last Name", "Job Title", "Department", "Reporting to"],
                 {"id": "Employee #", "first_name": "First Name", "last_name": "Last Name", "title": "Job Title",
                  "department": "Department", "manager": "Reporting to"}),
    "HiBob": (["Employee ID", "Display name", "Work - Title", "Work - Department", "Work - Reports to"],
              {"id": "Employee ID", "name": "Display name", "title": "Work - Title",
               "department": "Work - Department", "manager": "Work - Reports to"}),
    "Rippling": (["Employee ID", "Name", "Title", "Department", "Manager", "Work email"],
                 {"id": "Employee ID", "name": "Name", "title": "Title", "department": "Department",
                  "manager": "Manager", "email": "Work email"}),
    "SAP SuccessFactors": (["userId", "firstName", "lastName", "jobTitle", "department", "division", "managerId"],
                           {"id": "userId", "first_name": "firstName", "last_name": "lastName", "title": "jobTitle",
                            "department": "department", "manager": "managerId"}),
    "ADP Workforce Now": (["Associate ID", "Position ID", "Legal Name", "Job Title Description",
                           "Home Department Description", "Reports To Name"],
                          {"id": "Associate ID", "name": "Legal Name", "title": "Job Title Description",
                           "department": "Home Department Description", "manager_name": "Reports To Name"}),
    "hand-made": (["Who", "Role", "Squad", "Boss", "JD"],
                  {"title": "Role", "team": "Squad", "text": "JD", "manager": "Boss"}),
}


SAMPLE_VALUES = {"id": ["1", "2"], "name": ["Dee Fox", "Ann Lee"], "first_name": ["Dee", "Ann"],
                 "last_name": ["Fox", "Lee"], "title": ["Engineering Manager", "Product Owner"],
                 "team": ["Search", "Search"], "department": ["Product", "Product"], "manager": ["", "1"],
                 "manager_name": ["", "Dee Fox"], "email": ["dee@x.io", "ann@x.io"],
                 "text": ["Hire engineers and run interviews.", "Own and order the product backlog."]}


@pytest.mark.parametrize("system", sorted(DIALECTS))
def test_header_dialects(tmp_path, system):
    headers, expected = DIALECTS[system]
    if system == "hand-made":
        headers = ["Name" if h == "Who" else h for h in headers]
        expected = {"name": "Name", **expected}
    field_of = {header: name for name, header in expected.items()}
    rows = [[SAMPLE_VALUES[field_of[h]][i] if h in field_of else f"other {i}" for h in headers] for i in (0, 1)]
    if system == "hand-made":  # the manager column is found by its content: names of other rows
        rows[1][headers.index("Boss")] = "Dee Fox"
        rows.append(["Cy Dow", "Scrum Master", "Search", "Dee Fox", "Run the retrospectives."])
    path = tmp_path / "export.csv"
    path.write_text("\n".join(",".join(row) for row in [headers, *rows]) + "\n", encoding="utf-8")
    org = read_org(path)
    assert {name: column for name, column in org.columns.items() if name in expected} == expected
    assert [(r.name, r.title) for r in org.records[:2]] == [("Dee Fox", "Engineering Manager"),
                                                            ("Ann Lee", "Product Owner")]
    assert org.records[1].manager_id == (org.records[0].id if "manager" in expected or "manager_name" in expected
                                         else None)
    if system not in ("hand-made", "Rippling"):
        assert org.system == system, org.column_reasons


def test_every_system_header_is_a_synonym_of_its_field():
    data = header_data()
    for system, by_field in data.systems.items():
        for name, headers in by_field.items():
            assert name in FIELDS, (system, name)
            for header in headers:
                assert data.lookup.get(normalise_header(header)) == name, (system, header)


def test_no_synonym_belongs_to_two_fields():
    from importlib import resources

    import yaml

    raw = yaml.safe_load((resources.files("analyzer") / "data" / "columns.yaml").read_text(encoding="utf-8"))
    owners: dict[str, set[str]] = {}
    for name, synonyms in raw["fields"].items():
        for synonym in synonyms:
            owners.setdefault(normalise_header(synonym), set()).add(name)
    assert {key: names for key, names in owners.items() if len(names) > 1} == {}


# -- content sniffing and explicit choices --------------------------------------------------------------

def test_prose_column_is_the_description_and_id_matching_column_the_manager(tmp_path):
    path = tmp_path / "org.csv"
    prose = "Own and order the product backlog, write acceptance criteria and accept the work every sprint."
    path.write_text(f'Staff no,Role,Boss,Blurb\n1,Product Manager,,"{prose}"\n2,Product Owner,1,"{prose}"\n'
                    f'3,Scrum Master,1,"{prose}"\n', encoding="utf-8")
    org = read_org(path, ColumnChoice(id="Staff no"))
    assert org.columns == {"id": "Staff no", "title": "Role", "manager": "Boss", "text": "Blurb"}
    assert "long prose" in org.column_reasons["text"]
    assert "ids of other rows" in org.column_reasons["manager"]
    assert org.column_reasons["id"] == "chosen with --id-column"
    assert [record.manager_id for record in org.records] == [None, "1", "1"]


def test_title_sniffed_from_job_words(tmp_path):
    path = tmp_path / "org.csv"
    path.write_text("Person,Hat\nAda,Senior Product Manager\nBo,Engineering Manager\nCy,Designer\n", encoding="utf-8")
    org = read_org(path)
    assert org.columns["title"] == "Hat" and "job words" in org.column_reasons["title"]


def test_explicit_column_overrides_synonyms(tmp_path):
    path = tmp_path / "org.csv"
    path.write_text("Job Title,Business Title,Description\nPM,Product Lead,Own the roadmap\n", encoding="utf-8")
    assert read_org(path).records[0].title == "PM"
    assert read_org(path, ColumnChoice(title="business title")).records[0].title == "Product Lead"


def test_sensitive_columns_are_never_sniffed(tmp_path):
    path = tmp_path / "org.csv"
    address = "Flat 4, 12 Long Road, Little Village near the Big City, Some County, Postcode AB1 2CD, United Kingdom"
    path.write_text(f'Job Title,Home Address\nPM,"{address}"\n', encoding="utf-8")
    org = read_org(path)
    assert "text" not in org.columns and org.title_only
    assert address not in repr(org)


def test_title_only_export_is_flagged(tmp_path):
    path = tmp_path / "org.csv"
    path.write_text("Name,Job Title\nAda,Product Owner\n", encoding="utf-8")
    org = read_org(path)
    assert org.title_only and org.records[0].text == ""
    assert any("analysed from their job titles only" in warning for warning in org.warnings)


def test_docs_table_lists_every_system_header():
    from conftest import REPO

    docs = (REPO / "docs" / "ingest.md").read_text(encoding="utf-8")
    for by_field in header_data().systems.values():
        for name, headers in by_field.items():
            if name != "email":  # e-mails only resolve managers; the docs table leaves them out
                for header in headers:
                    assert f"`{header}`" in docs, header


def test_json_table_of_rows(tmp_path):
    path = tmp_path / "org.json"
    path.write_text('[["Employee ID", "Job Title"], [1, "PO"], [2, "SM", "extra"]]', encoding="utf-8")
    org = read_org(path)
    assert [(r.id, r.title) for r in org.records] == [("1", "PO"), ("2", "SM")]


def test_first_and_last_names_are_joined(tmp_path):
    path = tmp_path / "org.csv"
    path.write_text("First Name,Last Name,Job Title\nAda,Byron,PO\n,Li,SM\n", encoding="utf-8")
    org = read_org(path)
    assert [record.name for record in org.records] == ["Ada Byron", "Li"]
    assert org.columns["name"] == "First Name + Last Name"


GERMAN_PM = ("Du verantwortest die Produktstrategie und die Roadmap für unsere Zahlungsplattform. Du führst "
             "Nutzerinterviews durch, analysierst Marktdaten und definierst gemeinsam mit dem Team Ziele und KPIs.")
ENGLISH_PM = ("You will own the product strategy and the roadmap of our payments platform. You will talk to the "
              "customers who use it and set the goals that the team works towards with engineering and design.")


def test_descriptions_that_do_not_read_as_english_are_reported_not_dropped(tmp_path):
    # The mapper reads English only: a German description is read all the same, and one warning names its rows.
    path = tmp_path / "org.csv"
    path.write_text(f'Job Title,Job Description\nProduktmanager,"{GERMAN_PM}"\nProduct Manager,"{ENGLISH_PM}"\n'
                    f'Produktmanagerin,"{GERMAN_PM}"\nPO,Owns the backlog\n', encoding="utf-8")
    org = read_org(path)
    assert len(org.records) == 4
    [problem] = [p for p in org.problems if p.code == "not_english"]
    assert problem.where == "rows 1, 3"
    assert problem.message.startswith("1 job description (of 2 people) does not read as English; the mapper reads "
                                      "English only")
    assert "translate" in problem.fix


def test_a_folder_of_documents_names_the_ones_not_in_english(tmp_path):
    (tmp_path / "produktmanager.txt").write_text(f"Produktmanager\n\n{GERMAN_PM}\n", encoding="utf-8")
    (tmp_path / "product_manager.txt").write_text(f"Product Manager\n\n{ENGLISH_PM}\n", encoding="utf-8")
    [problem] = [p for p in read_org(tmp_path).problems if p.code == "not_english"]
    assert problem.where == "document 'produktmanager.txt'"


# Job descriptions in languages and scripts added in iteration 10 (written for this test).
OTHER_LANGUAGES = {
    "czech": ("Budete zodpovědný za produktovou strategii a roadmapu naší platební platformy. Spolupracujete s "
               "vývojáři a designéry, vedete rozhovory se zákazníky a určujete, které funkce se budou vyvíjet "
               "jako první."),
    "slovak": ("Budeš zodpovedný za stratégiu produktu a roadmapu našej platformy. Spolupracuješ s vývojármi a "
                "dizajnérmi, robíš rozhovory so zákazníkmi a rozhoduješ, ktoré funkcie sú prioritou pre tím alebo "
                "pre firmu."),
    "finnish": ("Vastaat tuotteen strategiasta ja tiekartasta sekä priorisoit kehitystiimin työjonon. Teet "
                 "tiivistä yhteistyötä asiakkaiden kanssa ja varmistat, että tiimi ymmärtää tavoitteet. Meillä on "
                 "myös mahdollisuus etätyöhön, ja olet osa kasvavaa yhteisöä."),
    "hungarian": ("A termékmenedzser felel a termék stratégiájáért és az ütemtervért, valamint egy fejlesztői "
                   "csapat számára priorizálja a feladatokat. Fontos, hogy szorosan együttműködj az ügyfelekkel és a "
                   "vezetőséggel, és hogy az adatok alapján dönts."),
    "romanian": ("Vei fi responsabil pentru strategia produsului și pentru planul de dezvoltare. Lucrezi "
                  "îndeaproape cu echipa de dezvoltare și cu clienții noștri, stabilești prioritățile din backlog "
                  "și comunici rezultatele către conducere în fiecare trimestru."),
    "turkish": ("Ürün stratejisi ve yol haritası için sorumluluk alacak, geliştirme ekibi ile birlikte backlog "
                 "önceliklerini belirleyeceksin. Müşterilerle düzenli olarak görüşmeler yapacak ve ekibin "
                 "hedeflerini şirket stratejisi ile uyumlu hale getirmek için çalışacaksın."),
    "russian": ("Вы будете отвечать за стратегию продукта и дорожную карту платформы платежей, проводить интервью "
                 "с пользователями, определять приоритеты бэклога и цели команды разработки."),
    "greek": ("Θα είστε υπεύθυνος για τη στρατηγική του προϊόντος και τον οδικό χάρτη της πλατφόρμας πληρωμών, "
               "θα συνεργάζεστε με την ομάδα ανάπτυξης και θα ορίζετε τις προτεραιότητες."),
    "japanese": ("プロダクトマネージャーとして、決済プラットフォームの製品戦略とロードマップを担当"
                 "していただきます。開発チームやデザイナーと協力し、顧客インタビューを通じて"
                 "優先順位を決定します。"),
    "chinese": ("您将负责我们支付平台的产品战略和路线图，与开发团队和设计师紧密合作，"
                "通过用户访谈确定功能优先级，并向管理层汇报产品指标和进展。"),
    "korean": ("결제 플랫폼의 제품 전략과 로드맵을 담당하며, 개발팀 및 디자이너와 "
               "긴밀히 협력하여 고객 인터뷰를 통해 기능의 우선순위를 결정합니다."),
    "arabic": ("ستكون مسؤولاً عن استراتيجية المنتج وخارطة الطريق لمنصة الدفع، وستعمل بشكل وثيق مع فريق التطوير "
                "والمصممين لتحديد أولويات الميزات بناءً على مقابلات العملاء."),
    # Bullet lists of nouns, with hardly a function word: read by their accented words.
    "czech_list": ("Náplň práce:\n- Řízení produktového backlogu a stanovení priorit\n- Spolupráce s vývojovým týmem "
                   "na plánování sprintů\n- Sběr požadavků od zákazníků\n- Tvorba produktové vize a roadmapy\n- "
                   "Vyhodnocování metrik produktu"),
    "turkish_list": ("Görev ve sorumluluklar:\n- Ürün yol haritasının oluşturulması\n- Yazılım ekibiyle sprint "
                     "planlaması\n- Müşteri ihtiyaçlarının analizi\n- Ürün performansının takibi ve raporlanması\n- "
                     "Paydaşlarla düzenli iletişim"),
    "vietnamese": ("Mô tả công việc: xây dựng chiến lược sản phẩm và lộ trình phát triển, quản lý backlog, phối hợp "
                   "với đội ngũ phát triển, thu thập yêu cầu từ khách hàng và báo cáo kết quả cho ban lãnh đạo."),
    "hindi": ("आप हमारे भुगतान प्लेटफ़ॉर्म की उत्पाद रणनीति और रोडमैप के लिए ज़िम्मेदार होंगे, विकास टीम और "
               "डिज़ाइनरों के साथ मिलकर काम करेंगे और ग्राहकों से बात करके प्राथमिकताएँ तय करेंगे।"),
}
# English that the additions could mistake: typographic apostrophes ("we’ve" is not "we" and Turkish "ve"), a
# salary in thousands, prefixes, and names quoted in another script.
ENGLISH_LOOKALIKES = {
    "curly": ('We’ve built a team that’s small and we’re growing fast: you’ll own the roadmap, you’ve shipped '
               'products before, and you’re happy to talk to customers who’ve used the app and can’t find what '
               'they need.'),
    "salary": ('Salary: $120k - $150k plus equity. You will own the roadmap for the pre-sales tools and pro rata '
                'bonus plans, and you will work with the sales team on the pricing of each plan and its '
                'packaging.'),
    "quoted_names": ('You will own the roadmap of Mercari’s メルカリ marketplace app in Japan and work with Дмитрий '
                      'Иванов, our head of engineering, and the design team in Tokyo on the next release of the '
                      'checkout flow.'),
    "hyphens": ('Own pre-launch and post-launch reviews, co-ordinate go-to-market with sales, run A/B tests, set '
                 'OKRs with the team, and keep a pulse on in-app feedback, NPS and churn across the self-serve and '
                 'sales-led motions.'),
    # A translation beside the English (as one in German is read as English, half and half), and a description
    # pasted from social media in "mathematical bold" letters (read as the letters they are).
    "bilingual": ("You will own the roadmap of the payments platform and work with the engineers who build it. "
                  "Вы будете отвечать за дорожную карту платёжной платформы и работать с инженерами."),
    "all_bold": "𝗬𝗼𝘂 𝘄𝗶𝗹𝗹 𝗼𝘄𝗻 𝘁𝗵𝗲 𝗿𝗼𝗮𝗱𝗺𝗮𝗽 𝗮𝗻𝗱 𝘁𝗮𝗹𝗸 𝘁𝗼 𝘁𝗵𝗲 𝗰𝘂𝘀𝘁𝗼𝗺𝗲𝗿𝘀 𝘄𝗵𝗼 𝘂𝘀𝗲 𝘁𝗵𝗲 𝗽𝗿𝗼𝗱𝘂𝗰𝘁 𝗲𝘃𝗲𝗿𝘆 𝗱𝗮𝘆.",
    # Shorthand and addresses: "w/" is "with", not Polish "w"; ".se" and ".cz" are domains, not Czech "se".
    "notes_and_addresses": ("PM, payments. Roadmap w/ eng leads; pricing w/ finance; discovery w/ design. Jobs: "
                            "careers.acme.se, careers.acme.cz, jobs.acme.fi; apply via se.linkedin.com/jobs."),
    # Accented names and borrowed words: capitalised names are not the text's words, and "café" is English too.
    "accented_names": ("You will report to Zoë Brontë and work with José Núñez, Søren Ødegård and Łukasz Wróbel in our "
                       "São Paulo, Bogotá and Malmö offices. Own the roadmap and decide what the team builds next."),
    "borrowed_words": ("We're a café chain: send your résumé. You'll own the roadmap of our café app and its naïve "
                       "Bayes recommender, work with the sous-chef on the menu feature and present to the board."),
    "offices": ("Offices: Zürich, Genève, Malmö, Kraków, Łódź, Gdańsk, Brno, Plzeň, İstanbul, İzmir, Köln, "
                "Düsseldorf. Teams: Payments, Identity, Search, Growth, Platform, Data."),
    # Typographic apostrophes are not accents ("squad’s"), and a translation in Greek or Cyrillic is not Latin accents.
    "curly_possessives": ("PM’s remit: company’s pricing, product’s roadmap, squad’s OKRs, team’s rituals, customer’s "
                          "journeys, partner’s APIs, board’s reporting, CEO’s priorities, support’s escalations."),
    "greek_translation": ("Own the payments roadmap, pricing, discovery, analytics, onboarding, retention and growth "
                          "experiments for the platform. Θα είστε υπεύθυνος για τον οδικό χάρτη της πλατφόρμας "
                          "πληρωμών."),
    "russian_translation": ("Own the payments roadmap, pricing, discovery, analytics, onboarding, retention and growth "
                            "experiments for the platform. Вы будете отвечать за дорожную карту платёжной "
                            "платформы."),
    "vietnamese_translation": ("You will own the roadmap of the payments platform and work with the engineers who "
                               "build it. Bạn sẽ chịu trách nhiệm về lộ trình của nền tảng thanh toán và làm việc với "
                               "các kỹ sư xây dựng nó."),
    # Commands in backticks are code, not words: "az" is the Azure CLI here, not Hungarian.
    "code_spans": ("Deploy notes: run `az login`, then `az group create --name rg --location westeurope`, `az aks "
                   "create -g rg -n cluster`, `az aks get-credentials -g rg -n cluster`, `az acr build -r reg -t app:1 "
                   ".`, `az webapp up`, `az monitor metrics list`. Own the platform roadmap and the release process."),
    # An apostrophe typed as an acute accent (German keyboards): "We´ve" is one word, not "We" and Turkish "ve".
    "acute_apostrophes": ("We´ve shipped. We´ve grown. We´ve hired. We´ve scaled. We´ve led. We´ve built. We´ve "
                          "launched. Roadmap, pricing, discovery, OKRs, analytics, onboarding, retention."),
}


@pytest.mark.parametrize("language", sorted(OTHER_LANGUAGES))
def test_descriptions_in_other_languages_and_scripts_do_not_read_as_english(language):
    assert not reads_as_english(OTHER_LANGUAGES[language])


@pytest.mark.parametrize("kind", sorted(ENGLISH_LOOKALIKES))
def test_english_with_apostrophes_salaries_and_foreign_names_reads_as_english(kind):
    assert reads_as_english(ENGLISH_LOOKALIKES[kind])


def test_a_short_text_in_another_script_is_judged_by_its_letters():
    # Chinese writes a sentence in a few "words" (runs of characters between punctuation): letters decide, not words.
    assert not reads_as_english("负责支付平台的产品战略和路线图，与开发团队紧密合作，确定功能优先级并汇报进展。")
    assert reads_as_english("产品经理")  # a title's worth says too little


def test_english_descriptions_and_short_ones_raise_no_language_warning(tmp_path):
    path = tmp_path / "org.csv"
    # Terse English (noun phrases, few function words) and a description too short to judge in any language.
    terse = ("Roadmap ownership; discovery interviews; KPIs and OKRs for the checkout squad; backlog grooming with "
             "engineering; release notes; stakeholder updates; pricing experiments; A/B tests; churn analysis")
    # ... and a keyword list with no function word of any language
    keywords = ("Roadmap; discovery; KPIs; OKRs; Jira; Confluence; SQL; Amplitude; pricing experiments; release "
                "planning; sprint reviews; stakeholder management; churn analysis; onboarding funnels")
    path.write_text(f'Job Title,Job Description\nPM,"{terse}"\nPM,"{keywords}"\nPO,Verantwortet das Backlog\n',
                    encoding="utf-8")
    assert not [p for p in read_org(path).problems if p.code == "not_english"]
