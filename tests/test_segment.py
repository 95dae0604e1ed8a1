"""Segmentation: bullets, sentences, HTML, headings, requirements and boilerplate (analyzer.segment)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzer.htmltext import html_to_text, looks_like_html
from analyzer.nlp import lemmas, split_sentences
from analyzer.records import StatementKind
from analyzer.segment import classify_statement, segment

DUTY, REQ, BOILER, HEAD = (StatementKind.DUTY, StatementKind.REQUIREMENT, StatementKind.BOILERPLATE,
                           StatementKind.HEADING)


def kinds(text: str) -> list[tuple[str, str]]:
    return [(s.kind.value, s.text) for s in segment(text)]


def test_lemmas_come_from_the_lookup_table_for_every_word_not_only_the_overrides():
    # spaCy's own Table keys entries by hashes; read as words they matched nothing, and only the
    # project's overrides ("owns", "prioritises") were lemmatised.
    assert lemmas("Reviews went managing stakeholders") == ["review", "go", "manage", "stakeholder"]
    assert lemmas("Owns and prioritises the numbers") == ["own", "and", "prioritize", "the", "number"]
    assert lemmas("Quokkaly xyzzies") == ["quokkaly", "xyzzies"]  # unknown words stay as they are


def test_bullets_of_every_common_shape():
    text = "- Own the roadmap\n* Write user stories\n• Run discovery\n1. Hire engineers\n2) Coach the team"
    assert [s.text for s in segment(text)] == [
        "Own the roadmap", "Write user stories", "Run discovery", "Hire engineers", "Coach the team"]
    assert {s.kind for s in segment(text)} == {DUTY}


def test_bullets_pasted_from_word_job_boards_and_public_sector_duty_lists():
    text = ("WHAT YOU WILL DO\n▪ Own the roadmap\no Run sprint reviews\n40% - Plans cross-team dependencies.\n"
            "(20%) Manages program risks.\n30% of time Prepares status reports.")
    assert kinds(text)[1:] == [("duty", "Own the roadmap"), ("duty", "Run sprint reviews"),
                               ("duty", "Plans cross-team dependencies."), ("duty", "Manages program risks."),
                               ("duty", "Prepares status reports.")]
    # A percentage that is part of the sentence stays; so does a lowercase "o" word.
    assert [s.text for s in segment("Benefits\n- 15% off in our shops\n30% ruling for eligible hires")][1:] == [
        "15% off in our shops", "30% ruling for eligible hires"]
    assert [s.text for s in segment("Duties\n- Own the roadmap.\no and p are letters.")][1:] == [
        "Own the roadmap.", "o and p are letters."]


def test_text_copied_from_a_job_board_is_read_back_into_headings_and_items():
    flattened = ("We are hiring a QA analyst for one of our teams.   Responsibilities:  • Review user stories • Write "
                 "test cases • Report test status each sprint   Qualifications:  • 3+ years of QA experience • SQL")
    assert kinds(flattened) == [
        ("boilerplate", "We are hiring a QA analyst for one of our teams."), ("heading", "Responsibilities"),
        ("duty", "Review user stories"), ("duty", "Write test cases"), ("duty", "Report test status each sprint"),
        ("heading", "Qualifications"), ("requirement", "3+ years of QA experience"), ("requirement", "SQL")]
    assert kinds("What you will do -Own the roadmap -Write user stories") == [
        ("heading", "What you will do"), ("duty", "Own the roadmap"), ("duty", "Write user stories")]
    # Entities left in plain text, and a heading run into its first duty.
    assert kinds("Duties:Own the roadmap &amp; the backlog with design&nbsp;teams") == [
        ("heading", "Duties"), ("duty", "Own the roadmap & the backlog with design teams")]
    # One dash or bullet sign inside a sentence is punctuation; so is a colon ending a sentence.
    assert [s.text for s in segment("We build tools -Fast ones- for teams • and we are hiring.")] == [
        "We build tools -Fast ones- for teams • and we are hiring."]
    assert kinds("About us\nWe make tools. You will:\n- own the backlog")[-2:] == [
        ("heading", "You will"), ("duty", "own the backlog")]


def test_emoji_that_decorate_a_line_are_dropped_and_headings_stay_headings():
    text = "🚀 What you'll do\n✅ Own the roadmap\n→ You talk to customers every week\n💰 What we offer\n✨ Equity"
    assert kinds(text)[:3] == [("heading", "What you'll do"), ("duty", "Own the roadmap"),
                               ("duty", "You talk to customers every week")]
    assert kinds(text)[3] == ("heading", "What we offer")
    assert "duty" not in {kind for kind, _ in kinds(text)[4:]}
    assert [s.text for s in segment("✓ Own the roadmap")] == ["Own the roadmap"]  # a tick is a list mark


def test_headings_of_hr_templates_and_european_postings():
    text = """Essential functions
- Facilitate sprint planning and retrospectives
Your profile
- Very good SQL
Our offer
- 30 days vacation
Your tasks
You decide the priorities and make the roadmap
What you'll get
- A pension with a 6% match
What you'll actually do
- Run discovery with customers
"""
    assert kinds(text) == [
        ("heading", "Essential functions"), ("duty", "Facilitate sprint planning and retrospectives"),
        ("heading", "Your profile"), ("requirement", "Very good SQL"),
        ("heading", "Our offer"), ("boilerplate", "30 days vacation"),
        ("heading", "Your tasks"), ("duty", "You decide the priorities and make the roadmap"),
        ("heading", "What you'll get"), ("boilerplate", "A pension with a 6% match"),
        ("heading", "What you'll actually do"), ("duty", "Run discovery with customers"),
    ]
    # "What you'll get up to" is the work, and a department named "Digital Experience" asks for nothing.
    assert kinds("What you'll get up to\n- Own the roadmap")[1] == ("duty", "Own the roadmap")
    assert kinds("Oakmere Bank, Digital Experience\n- Plan and run research")[1] == ("duty", "Plan and run research")


def test_a_field_heading_covers_one_line_then_the_section_resumes():
    text = """Closing date
9 April
The platform lets people prove who they are once.
In this role you will own the roadmap of the integration layer.
Requirements
- Experience with OAuth
Grade: Grade 7
- Experience with SAML
Salary
About Acme
We build identity software.
"""
    assert kinds(text) == [
        ("heading", "Closing date"), ("boilerplate", "9 April"),
        ("duty", "The platform lets people prove who they are once."),
        ("duty", "In this role you will own the roadmap of the integration layer."),
        ("heading", "Requirements"), ("requirement", "Experience with OAuth"),
        ("heading", "Grade"), ("boilerplate", "Grade 7"), ("requirement", "Experience with SAML"),
        ("heading", "Salary"), ("heading", "About Acme"), ("boilerplate", "We build identity software."),
    ]


def test_a_short_line_over_a_list_is_a_subheading_unless_it_reads_as_a_duty():
    text = """Key responsibilities
Strategy and planning
1. Translate the strategy into a roadmap
Own the release calendar
- Publish it every quarter
You will also
- Coach two analysts
"""
    assert kinds(text) == [
        ("heading", "Key responsibilities"),
        ("heading", "Strategy and planning"), ("duty", "Translate the strategy into a roadmap"),
        ("duty", "Own the release calendar"), ("duty", "Publish it every quarter"),
        ("heading", "You will also"), ("duty", "Coach two analysts"),
    ]


def test_a_subheading_may_open_with_a_gerund_noun():
    text = "Planning and strategy\n- Translate the strategy into a roadmap\nPrioritise the backlog\n- Weekly"
    assert kinds(text)[:2] == [("heading", "Planning and strategy"), ("duty", "Translate the strategy into a roadmap")]
    assert kinds(text)[2] == ("duty", "Prioritise the backlog")


def test_civil_service_postings_fields_behaviours_and_terms():
    text = """Apply before 11:55 pm on Sunday 6 October 2024
Working pattern
Flexible working, Full-time, Part-time
Number of jobs available
2
Job description
You will design content for the licensing service.
Behaviours
We'll assess you against these behaviours during the selection process:
- Working Together
Terms and conditions
- 25 days annual leave
How we hire
- A 30-minute call with our talent team
"""
    assert kinds(text) == [
        ("boilerplate", "Apply before 11:55 pm on Sunday 6 October 2024"),
        ("heading", "Working pattern"), ("boilerplate", "Flexible working, Full-time, Part-time"),
        ("heading", "Number of jobs available"),
        ("heading", "Job description"), ("duty", "You will design content for the licensing service."),
        ("heading", "Behaviours"),
        ("heading", "We'll assess you against these behaviours during the selection process"),
        ("requirement", "Working Together"),
        ("heading", "Terms and conditions"), ("boilerplate", "25 days annual leave"),
        ("heading", "How we hire"), ("boilerplate", "A 30-minute call with our talent team"),
    ]


def test_posting_fields_and_greetings_are_not_duties():
    text = """Position title: Agile Delivery Lead
Direct reports: Nil
Time type: Full time
Hello!
Roadmap: own the quarterly roadmap
- Facilitate the sprint ceremonies
"""
    assert kinds(text) == [
        ("heading", "Position title"), ("boilerplate", "Agile Delivery Lead"),
        ("heading", "Direct reports"), ("boilerplate", "Nil"),
        ("heading", "Time type"), ("boilerplate", "Full time"),
        ("boilerplate", "Hello!"),
        ("duty", "Roadmap: own the quarterly roadmap"), ("duty", "Facilitate the sprint ceremonies"),
    ]


def test_paragraph_is_split_into_sentences_without_breaking_abbreviations():
    text = "You will own the roadmap, e.g. for payments. You will also hire two engineers."
    assert [s.text for s in segment(text)] == [
        "You will own the roadmap, e.g. for payments.", "You will also hire two engineers."]


def test_run_on_bullet_is_split_at_semicolons_when_each_part_is_a_clause():
    assert [s.text for s in segment("- Own the roadmap; run discovery with users; report outcomes")] == [
        "Own the roadmap", "run discovery with users", "report outcomes"]
    assert [s.text for s in segment("- Tools: Jira; Confluence")] == ["Tools: Jira; Confluence"]


def test_sections_give_their_kind_to_the_statements_below():
    text = """About us
We are a fintech startup building the future of payments.
What you'll do
- Own the payments roadmap
Requirements:
- Experience with SQL
- Comfortable presenting to executives
Benefits
- Generous parental leave
"""
    assert kinds(text) == [
        ("heading", "About us"),
        ("boilerplate", "We are a fintech startup building the future of payments."),
        ("heading", "What you'll do"),
        ("duty", "Own the payments roadmap"),
        ("heading", "Requirements"),
        ("requirement", "Experience with SQL"),
        ("requirement", "Comfortable presenting to executives"),
        ("heading", "Benefits"),
        ("boilerplate", "Generous parental leave"),
    ]


def test_requirements_are_recognised_inside_a_duty_section():
    assert classify_statement("5+ years of experience in product management") is REQ
    assert classify_statement("Experience writing user stories is a plus") is REQ
    assert classify_statement("Strong communication skills") is REQ
    assert classify_statement("Bachelor's degree in Computer Science or equivalent") is REQ
    assert classify_statement("Write user stories with clear acceptance criteria") is DUTY
    assert classify_statement("You are responsible for the product backlog") is DUTY


def test_boilerplate_is_recognised_anywhere():
    assert classify_statement("We are an equal opportunity employer and value diversity.") is BOILER
    assert classify_statement("To apply, send your CV to jobs@example.com") is BOILER
    assert classify_statement("Salary range: 90k-110k") is BOILER


def test_inline_heading_with_content():
    assert kinds("Responsibilities: Own the backlog and write stories.") == [
        ("heading", "Responsibilities"), ("duty", "Own the backlog and write stories.")]


def test_html_is_reduced_to_bullets_and_blocks():
    markup = ("<h3>Responsibilities</h3><ul><li>Own the <b>roadmap</b></li><li>Hire &amp; grow</li></ul>"
              "<p>Apply now.</p>")
    assert looks_like_html(markup)
    assert html_to_text(markup) == "Responsibilities\n- Own the roadmap\n- Hire & grow\nApply now."
    assert kinds(markup) == [("heading", "Responsibilities"), ("duty", "Own the roadmap"), ("duty", "Hire & grow"),
                             ("boilerplate", "Apply now.")]


def test_ordered_lists_and_scripts_in_html():
    assert html_to_text("<ol><li>One</li><li>Two</li></ol><script>alert(1)</script>") == "1. One\n2. Two"


def test_plain_text_with_angle_brackets_is_not_html():
    assert not looks_like_html("Grow revenue by <10% churn and > 2x NPS")


def test_empty_and_blank_text():
    assert segment("") == []
    assert segment("   \n\t ") == []


def test_giant_cell_is_bounded():
    statements = segment("Own the roadmap " * 100_000)
    assert statements and all(len(s.text) <= 2000 for s in statements)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_text_never_crashes(text):
    for statement in segment(text):
        assert statement.text.strip()
        assert statement.kind in StatementKind


@pytest.mark.parametrize(("text", "kind"), [
    ("You'll report to the Director of Product.", BOILER),
    ("You'll report to our Director of Product (Maja), who runs the four product squads.", BOILER),
    ("TPMs report to a Group Manager, Product.", BOILER),
    ("You will report to the Area Product Manager Outbound.", BOILER),
    # what is reported, or another duty in the same sentence, keeps it a duty
    ("You will report to the steering committee on programme progress.", DUTY),
    ("Track progress and report to the producers every week", DUTY),
    ("You'll report to the Head of Marketing and work alongside our product marketing manager", DUTY),
    ("Reporting to the Director, you will own the roadmap", DUTY),
])
def test_a_reporting_line_is_not_a_duty(text, kind):
    assert classify_statement(text) is kind


@pytest.mark.parametrize(("text", "kind"), [
    # how real postings word what they want of the candidate
    ("Bonus: Experience working in and leading open-source communities.", REQ),
    ("Nice to have - a background in fintech", REQ),
    ("Direct experience working in social services is a strong plus.", REQ),
    ("Program management skills a big plus.", REQ),
    ("Demonstrated ability to work with cross-functional project teams", REQ),
    ("Candidates must have strong interpersonal skills.", REQ),
    ("Excellent attention to detail.", REQ),
    ("Sharp analytical and problem-solving skills.", REQ),
    ("Excellent verbal, written, presentation, and interpersonal communications skills", REQ),
    # ... and the duties they resemble
    ("The successful candidate will own launches from planning to review.", DUTY),
    ("Build a strong plus-one culture of pairing in the team", DUTY),
    ("Demonstrate the product to customers at events", DUTY),
])
def test_what_is_wanted_of_the_candidate_is_a_requirement(text, kind):
    assert classify_statement(text) is kind


@pytest.mark.parametrize(("text", "kind"), [
    ("You can apply for this position here.", BOILER),
    ("Learn more about the company and why you should join us here.", BOILER),
    ("Why should you join us?", BOILER),
    ("Learn more about our users' needs through interviews", DUTY),
    ("Read more widely about the market and share what matters with the team", DUTY),
])
def test_links_to_apply_or_read_more_are_boilerplate(text, kind):
    assert classify_statement(text) is kind


@pytest.mark.parametrize(("text", "kind"), [
    # the employer speaking of itself
    ("We are building a true platform for teams of every size.", BOILER),
    ("We’re a remote company of 230 people across 26 countries.", BOILER),
    ("We believe healthcare software should be built by diverse teams.", BOILER),
    ("Our team combines engineers, designers and food operations experts.", BOILER),
    ("We love to solve problems, cut red tape and streamline how things work.", BOILER),
    # ... unless it asks something of the reader or of the role
    ("We expect you to define your strategy and what success looks like.", DUTY),
    ("We also expect PMs to be the loudest voice for the vision in their area.", DUTY),
    ("We expect our Delivery Managers to manage and mitigate risks to our deliveries.", DUTY),
    ("We now need someone to lead product management as a discipline.", DUTY),
    ("Our product marketing team needs a senior PMM to own the go-to-market for payroll.", DUTY),
    ("Our Lead Product Managers are accountable for the quality of complex services.", DUTY),
    ("Our PMs set the roadmap; your focus is on delivery.", DUTY),
    ("Our Agile Coach works across the squads of a tribe to improve how we deliver.", DUTY),
    ("Our engineering manager runs hiring for the squad.", DUTY),
    ("Our product team has grown from two to nine people in eighteen months.", BOILER),
    # an organisation described by name
    ("OVS is an executive agency that sets standards for the roadworthiness of vehicles.", BOILER),
    ("Tallyforge is a 20-person start-up building bookkeeping automation.", BOILER),
    ("Compiler is a small, woman-owned software consultancy.", BOILER),
    ("Snyk's mission is to help developers use open source code and stay secure.", BOILER),
    ("Glassbarrow's mobile banking app is used by 3.4 million customers.", BOILER),
    ("Translate Snyk's vision into a product roadmap.", DUTY),
    ("The team's product manager decides priorities and the roadmap.", DUTY),
    ("The Scrum Master is a servant leader who helps the teams apply Scrum.", DUTY),
    ("The incumbent is the agency's single point of decision for what the team builds.", DUTY),
    # a job-family page speaking of itself
    ("This page describes the Engineering Manager job family for the Database department.", BOILER),
    ("The Senior UX Fullstack Engineer is a grade 7.", BOILER),
    ("The next step in the Data Management job family is to move to the Director of Data job family.", BOILER),
    ("View the Engineering Manager job family page for more details.", BOILER),
    ("Own the outcomes of a large product area, as every PM described in the job family page does.", DUTY),
    ("Build a clear career ladder for designers and hire three more.", DUTY),
])
def test_the_employer_describing_itself_is_boilerplate(text, kind):
    assert classify_statement(text) is kind


@pytest.mark.parametrize("text", [
    "Job ID: 160950", "Job code: 6A004 - Admin06", "Compensation group: Management Compensation Plan",
    "Hours of work: 36.25/week (Schedule 6)", "Area of government: Ontario Digital Service", "Req #: 24-0917",
    "Pay grade: P3", "Note: Less qualified applicants may be considered on an underfill basis.",
    "We received approximately 62 applications for this job opportunity.", "Current status",
    "Applicants who meet the qualifications will be invited to continue in the hiring process.",
    "Sign up for digital job alerts",
])
def test_a_job_boards_fields_and_notices_are_boilerplate(text):
    assert classify_statement(text) is BOILER


@pytest.mark.parametrize("text", [
    # a skill label before a duty is not a job board's field
    "Organization: Ensure that documentation pages in your groups are well organised.",
    "Status reporting: keep the steering group informed every fortnight.",
    "Hire engineers who meet the bar and grow them.",
])
def test_duties_that_look_like_fields_stay_duties(text):
    assert classify_statement(text) is DUTY


def test_a_note_on_the_duties_is_not_a_job_boards_notice():
    assert classify_statement("Note: most of these responsibilities are shared among the product managers") is DUTY
    assert classify_statement("Please note: successful candidates will need a background check.") is BOILER


@pytest.mark.parametrize(("text", "kind"), [
    ("You will have excellent analytical and problem solving skills.", REQ),
    ("You must possess outstanding verbal and written communication skills.", REQ),
    ("You will need to be confident explaining technical ideas to senior civil servants.", REQ),
    # the candidate described in the present, and what the role requires of them
    ("You know how to make sure data is accurate, well-organized, and accessible.", REQ),
    ("They also have a strong track record of growing and influencing others.", REQ),
    ("This role requires both the ability to understand the technology and to explain its value.", REQ),
    ("Additional appropriate education will substitute for the required experience.", REQ),
    ("They are responsible for the people on their team and for the quality of what it builds.", DUTY),
    ("They have no direct reports.", DUTY),
    ("You will have strong ownership of the roadmap and the backlog.", DUTY),
    ("You will have significant influence over the product strategy.", DUTY),
])
def test_what_you_will_have_is_the_candidate_unless_it_is_the_jobs_remit(text, kind):
    assert classify_statement(text) is kind


@pytest.mark.parametrize("text", [
    "Selected candidates will be invited to schedule a 30min screening call with one of our recruiters",
    "There may be a final executive interview",
    "Applications accepted Monday February 27th - Sunday March 12th 2023",
    "Using the linked form, please provide a brief introduction and upload your resume.",
    "Cover letters are not expected.",
    "We will consider for employment qualified applicants with arrest and conviction records.",
    "You will be considered an at-will employee.",
])
def test_how_the_hiring_goes_is_boilerplate(text):
    assert classify_statement(text) is BOILER


@pytest.mark.parametrize(("text", "kind"), [
    # a link, a hashtag or a handle on its own
    ("#banthebox", BOILER), ("https://jobs.example.org/apply/k2f5bg", BOILER), ("Analytics.usa.gov", BOILER),
    ("Visit our #product channel on Slack and say hello.", DUTY),
    # a question put to the reader
    ("Are you our new team member?", BOILER), ("Sounds interesting?", BOILER), ("Questions?", BOILER),
    ("Do you want to make travel easy for the millions of people who take a trip every day?", BOILER),
    ("Decide which problems are worth a season of the team's time: is it the week-two retention drop?", DUTY),
    ("Manage the backlog (what gets built next?)", DUTY),
    ('Do deep-dive analyses on questions like "why do customers who switch tariff call us more?"', DUTY),
    ("#NoBullshit.", BOILER),
    # the terms of the job
    ("This is a contract position, with opportunities for W2 employment in the future.", BOILER),
    ("This is a part-time contract position.", BOILER), ("This role is fully remote.", BOILER),
    ("This is a full time servant leadership role enabling continuous improvement across several teams.", DUTY),
    # pay, benefits' allowances and whom to write to; budgets, costs and revenue are work
    ("Ledgerleaf · London · Hybrid · Full-time · £78,000–£92,000 + share options", BOILER),
    ("Salary between €4,800 and €6,400 gross per month, based on 40 hours", BOILER),
    ("Rate: £475 - £525 per day, Outside IR35", BOILER), ("£2,000 yearly learning budget", BOILER),
    ("Contact amelie@example.com!", BOILER),
    ("Manage the product marketing budget (around £3.2m a year including research and agencies).", DUTY),
    ("Manage a budget of £2m-£3m across four vendors", DUTY), ("Grow annual revenue from $2m to $5m", DUTY),
    # ... found in review: work that names money, questions, the terms or an address stays a duty
    ("Cut our AWS bill by $1m-$2m a year", DUTY), ("Set contractor day rates between £450 and £550", DUTY),
    ("Negotiate vendor rates of £500 per day down to £400", DUTY), ("Keep AWS usage under $30k/month", DUTY),
    ("Manage the team's learning budget and training plan", DUTY),
    ("Email weekly status updates to stakeholders@example.com", DUTY),
    ("Contact the vendor at support@vendor.io whenever an SLA is missed", DUTY),
    ("Should we build or buy our fraud engine?", DUTY), ("How do we grow activation among SMB customers?", DUTY),
    ("This contract role owns the roadmap for payments", DUTY),
    ("This role is full-time on the checkout squad, owning its backlog end to end", DUTY),
    ("This role is remote-first and owns the developer portal", DUTY),
    ("This contract position is with one of our Fortune 50 clients", BOILER),
    ("The product owner is the main, day-to-day business contact for the squad", DUTY),
])
def test_links_questions_to_the_reader_and_the_terms_of_the_job_are_boilerplate(text, kind):
    assert classify_statement(text) is kind


def test_an_opening_quote_bracket_or_hashtag_starts_the_sentence_it_opens():
    texts = ["We consider applicants with conviction records. #banthebox", 'Ship it. "Own it," she said. (Hire two.)']
    assert split_sentences(texts) == [["We consider applicants with conviction records.", "#banthebox"],
                                      ["Ship it.", '"Own it," she said.', "(Hire two.)"]]
    assert split_sentences(["Ship weekly. # of releases matters."]) == [["Ship weekly.", "# of releases matters."]]


def test_a_longer_heading_naming_the_hiring_process_opens_boilerplate():
    text = ("Responsibilities\n- Own the roadmap\nWhat does our interview process look like?\n"
            "We start with a video call to get to know you.\nNext up we'll send you a take-home exercise.")
    assert [kind for kind, _ in kinds(text) if kind != "heading"] == ["duty", "boilerplate", "boilerplate"]
    # A long heading is read from its start: a keyword of short boilerplate headings further on does not count.
    text = "Key outcomes for the compensation and benefits platform squad:\n- Own the payroll roadmap"
    assert [kind for kind, _ in kinds(text) if kind != "heading"] == ["duty"]


@pytest.mark.parametrize(("text", "kind"), [
    # the job's place in the team, said with a definite article: a duty
    ("You are the primary point of contact for the squad's engineers and designers.", DUTY),
    ("You're the line manager of the four analysts in the pricing team.", DUTY),
    ("You are our go-to person for pricing questions from the sales team.", DUTY),
    ("You are the one who decides what the team takes into the next sprint.", DUTY),
    ("You are also the main point of contact for our partners.", DUTY),
    ("You are this squad's product owner and its single voice on priorities.", DUTY),
    ("You are a key point of contact for clients and suppliers.", DUTY),
    # the candidate, even with a definite article
    ("You are the kind of person who reads the release notes for fun.", REQ),
    ("You are the right person if you enjoy messy problems.", REQ),
    ("You are the type who thrives in ambiguity.", REQ),
    ("You are the person colleagues turn to when a plan falls apart.", REQ),
    ("You are the strongest writer in any room.", REQ),
    ("You are a calm facilitator with a sense of humour.", REQ),
    ("You have the patience to explain a trade-off twice.", REQ),
])
def test_you_are_the_names_the_jobs_place_and_you_are_a_the_candidate(text, kind):
    assert classify_statement(text) is kind


@pytest.mark.parametrize(("text", "plain", "kind"), [
    ("You\u2019ve launched two mobile apps from scratch.", "You've launched two mobile apps from scratch.", REQ),
    ("We\u2019re looking forward to hearing from you!", "We're looking forward to hearing from you!", BOILER),
    ("You\u00b4ll own the checkout roadmap.", "You'll own the checkout roadmap.", DUTY),
    ("You\u2032re calm in front of senior stakeholders.", "You're calm in front of senior stakeholders.", REQ),
])
def test_typographic_apostrophes_read_and_are_kept_as_straight_ones(text, plain, kind):
    assert classify_statement(text) is kind
    assert kinds(f"- {text}") == [(kind.value, plain)]


@pytest.mark.parametrize(("heading", "kind"), [
    ("What will you be doing?", "duty"),
    ("What does the role involve?", "duty"),
    ("How will you make an impact in your first year here?", "duty"),
    ("What are we looking for?", "requirement"),
    ("What will you bring?", "requirement"),
    ("What do we offer?", "boilerplate"),
    ("Why should you join the payments team?", "boilerplate"),
    ("What will you get in return?", "boilerplate"),  # a pattern that ends the heading matches without its "?"
    ("What will you be responsible for?", "duty"),
    ("What does a typical day look like?", "duty"),
    ("What will you need to succeed in this role?", "requirement"),
    ("What can we offer you?", "boilerplate"),
    ("What can you expect to do day to day?", "duty"),
    ("Who is this role for?", "requirement"),
    # a lead-in that asks what the reader has, though it says "you'll"
    ("You'll stand out from the crowd if you have:", "requirement"),
    ("You'll stand out if you have:", "requirement"),
    ("You'll thrive in this role if you:", "requirement"),
    ("You'll need:", "requirement"),
    ("You will get:", "boilerplate"),
    ("You will lead the following, if you are appointed at Grade 7:", "duty"),  # a condition, not what you have
])
def test_a_heading_asked_as_a_question_opens_the_section_it_names(heading, kind):
    # After a benefits list, so that a heading read as nothing would keep the list's kind (boilerplate).
    text = f"Benefits\n- Free lunch\n\n{heading}\n- Take part in the weekly pricing review\n"
    assert kinds(text)[-1] == (kind, "Take part in the weekly pricing review")


def test_a_hiring_plan_or_additional_information_section_is_boilerplate():
    assert kinds("Hiring plan\n- Next, candidates meet the team\nAdditional information\n- This post needs a DBS check"
                 ) == [("heading", "Hiring plan"), ("boilerplate", "Next, candidates meet the team"),
                       ("heading", "Additional information"), ("boilerplate", "This post needs a DBS check")]


@pytest.mark.parametrize("text", [
    "Interview users every week and share what you learn",
    "Run the hiring process for the engineers in your team",
    "Accept or reject stories against their acceptance criteria",
])
def test_duties_about_interviews_hiring_or_acceptance_stay_duties(text):
    assert classify_statement(text) is DUTY


def test_the_parts_of_a_sentence_split_at_semicolons_continue_its_context():
    assert kinds("We have an ambition to create brilliant services for residents; to give our staff the best "
                 "tools; and to build a significant digital team.") == [
        ("boilerplate", "We have an ambition to create brilliant services for residents"),
        ("boilerplate", "to give our staff the best tools"),
        ("boilerplate", "and to build a significant digital team."),
    ]
    # a part with a subject of its own is read on its own, and duties stay duties
    assert [kind for kind, _ in kinds("We are a team of forty people in Leeds; your job is to decide where the "
                                      "product goes next.")] == ["boilerplate", "duty"]
    assert [kind for kind, _ in kinds("Run the sprint reviews with the team; and to keep the board current, "
                                      "hold a weekly triage.")] == ["duty", "duty"]


@pytest.mark.parametrize(("text", "kind"), [
    # "You are not ..." denies the reader a duty; it does not describe the candidate
    ("You are not expected to run the sprints, but you will coach the team.", DUTY),
    ("You're not the final approver of the budget, but you will draft it.", DUTY),
    ("You are not the line manager of the engineers.", DUTY),
    ("You're not afraid to ask naive questions.", REQ),
])
def test_you_are_not_denies_a_duty_rather_than_describing_the_candidate(text, kind):
    assert classify_statement(text) is kind


@pytest.mark.parametrize(("text", "kind"), [
    # what the candidate has done or brings, worded without "experience" first or years in figures
    ("Demonstrable experience running discovery", REQ),
    ("Considerable experience in B2B pricing", REQ),
    ("At least two years running agile teams", REQ),
    ("A minimum of five years of product experience", REQ),
    ("Four years' experience as a product owner", REQ),
    ("The ideal candidate has shipped a mobile app.", REQ),
    ("The right person has a strong background in fintech.", REQ),
    ("You'll bring a track record of scaling marketplaces", REQ),
    ("You will bring deep expertise in payments", REQ),
    ("Previously led a team of designers", REQ),
    ("Previously built and run a data platform", REQ),
    # ... and the duties they resemble
    ("Plan the next three years of the platform", DUTY),
    ("You'll bring the squads together for planning", DUTY),
    ("You will bring customer insight into every roadmap review", DUTY),
    ("Revisit previously deprioritised bets each quarter", DUTY),
    ("The ideal candidate will own the roadmap.", DUTY),
    ("The ideal candidate will be comfortable running performance conversations.", DUTY),  # as the dev split reads it
])
def test_what_the_candidate_has_done_or_brings_is_a_requirement(text, kind):
    assert classify_statement(text) is kind


@pytest.mark.parametrize(("text", "kind"), [
    # the hiring process spoken to the applicant, the terms and perks of the job, the employer by name
    ("If you require any adjustments to the application process, tell us.", BOILER),
    ("Please let us know of any accommodations you need during interviews.", BOILER),
    ("Recruitment agencies should not contact us.", BOILER),
    ("We do not accept unsolicited resumes.", BOILER),
    ("Please note: we do not work with agencies or accept unsolicited CVs.", BOILER),
    ("A learning & development budget and a new laptop", BOILER),
    ("£1,500 L&D budget", BOILER),
    ("At Globex, we're reinventing invoicing.", BOILER),
    ("Here at Initech we believe in small teams.", BOILER),
    ("Unfortunately we cannot sponsor visas.", BOILER),
    ("We are unable to offer visa sponsorship", BOILER),
    ("This is a remote-first position", BOILER),
    ("This is an office-based role", BOILER),
    ("You can work from anywhere in Europe.", BOILER),
    # ... and the duties they resemble
    ("Run the hiring process and keep candidates informed", DUTY),
    ("Manage our relationships with recruitment agencies", DUTY),
    ("Manage the team's learning & development budget", DUTY),
    ("At each sprint review, you will demo what shipped", DUTY),
    ("This is a remote-first role leading the payments squad", DUTY),
])
def test_applicant_notices_terms_and_perks_are_boilerplate(text, kind):
    assert classify_statement(text) is kind


INTRO = ("Acme helps 10,000 small businesses get paid faster. Founded in 2015, we now employ 400 people.\n"
         "As our first payments PM you will own the payouts roadmap.\n"
         "The Technical Manager oversees resourcing for the squads.\n"
         "Lead the discovery for new payment methods.\n\n")


def test_the_introduction_before_the_duties_heading_is_the_employers():
    statements = segment(INTRO + "What you'll do\n- Define quarterly OKRs\n")
    kinds = {s.text: s.kind for s in statements}
    assert kinds["Acme helps 10,000 small businesses get paid faster."] is StatementKind.BOILERPLATE
    assert kinds["Founded in 2015, we now employ 400 people."] is StatementKind.BOILERPLATE
    # ... unless it is worded as the job's work: the reader, someone named doing it, a duty verb first
    assert kinds["As our first payments PM you will own the payouts roadmap."] is StatementKind.DUTY
    assert kinds["The Technical Manager oversees resourcing for the squads."] is StatementKind.DUTY
    assert kinds["Lead the discovery for new payment methods."] is StatementKind.DUTY
    assert kinds["Define quarterly OKRs"] is StatementKind.DUTY


@pytest.mark.parametrize("rest", ["", "Requirements\n- 5+ years in product\n"])
def test_without_a_duties_heading_the_opening_sentences_stay_the_jobs(rest):
    # An HR export's description has no headings, and a heading that opens no duties says nothing of the opening.
    statements = segment(INTRO + rest)
    assert next(s for s in statements if s.text.startswith("Acme helps")).kind is StatementKind.DUTY


def test_what_is_owned_by_the_reader_is_a_duty_and_what_backs_the_company_is_not():
    assert classify_statement("Pricing and packaging are owned by you, with input from Finance.") is StatementKind.DUTY
    assert classify_statement("Acme is backed by Sequoia and owned by its founders.") is StatementKind.BOILERPLATE


@pytest.mark.parametrize("text", [
    "You will manage the team's training budget and plan conferences.",
    "Responsible for the L&D budget of the design team.",
    "Make adjustments to the hiring plan as priorities change.",
    "Propose adjustments to the assessment framework used in performance reviews.",
    "If you need adjustments to the product roadmap, talk to the PM.",
    "Build a roadmap covering at least three years of investment",
    "Lead the team for the next two years growing revenue",
    "At sprint planning we agree the scope with the engineers.",
    "At each sprint review, we demo the increment to stakeholders",
    "You can work remotely with the support team to resolve incidents.",
])
def test_duties_near_the_words_of_perks_notices_and_experience_stay_duties(text):
    assert classify_statement(text) is StatementKind.DUTY


@pytest.mark.parametrize("sentence", [
    "Key responsibilities include owning the product roadmap and managing a team of three PMs.",
    "It is a hands-on leadership position: hiring, coaching and growing a team of six engineers.",
    "Line management of two analysts is included.",
    "Budgets and risks are managed here too.",
])
def test_duties_told_in_prose_in_the_introduction_stay_duties(sentence):
    statements = segment(f"{sentence}\n\nAbout you\n- 5+ years in product\n\nWhat you'll do\n- Define OKRs\n")
    assert statements[0].text.startswith(sentence[:30])
    assert statements[0].kind is StatementKind.DUTY


def test_where_you_can_work_is_a_term_of_the_job_unless_it_is_with_the_team():
    assert classify_statement("You can work from anywhere in the EU, with quarterly offsites") is \
        StatementKind.BOILERPLATE
    assert classify_statement("You can work remotely with the support team to resolve incidents.") is \
        StatementKind.DUTY
