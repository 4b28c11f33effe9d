"""The council's own wording of letter templates: set by an administrator only after it has
been checked, rendered in the sandbox, every version kept, the shipped wording restorable, and a
letter sent in the wording it was drafted in."""

from __future__ import annotations

import dataclasses
import tracemalloc
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlmodel import select

from complaints.cli import cli
from complaints.clock import SettableClock
from complaints.config import LetterSettings
from complaints.context import Context
from complaints.errors import DomainError
from complaints.letters.demo import demo_values
from complaints.letters.environment import SANDBOX
from complaints.letters.overrides import template_names
from complaints.letters.rendering import render_template
from complaints.models import Letter, LetterTemplateVersion
from complaints.services.letter_templates import (
    check_template_text,
    list_templates,
    revert_template,
    set_template,
    show_template,
)
from complaints.services.letters import (
    approve_letter,
    draft_letter,
    preview_letter,
    send_letter,
    submit_letter,
)
from tests.support import LogCase, audit_count, version_of

OUR_ACKNOWLEDGEMENT = """{% extends "layout.html.j2" %}
{% block body %}
<h1>Thank you</h1>
<p>Our own words: we have your complaint of {{ received_on | long_date }}, {{ reference }}.</p>
{% endblock %}
"""


def versions(council: Context) -> list[LetterTemplateVersion]:
    with council.database.reader() as session:
        return list(session.exec(select(LetterTemplateVersion)).all())


def test_every_shipped_template_passes_the_checks_an_override_must(council: Context) -> None:
    """The demo values hold every value letters have: a council's copy of any shipped template
    can be saved unchanged."""
    for name in template_names():
        text = (Path(__file__).parents[2] / "letter_templates" / f"{name}.html.j2").read_text()
        check_template_text(council.settings, name, text)


def test_an_admin_sets_the_wording_and_letters_use_it(council: Context, log_case: LogCase) -> None:
    reference = log_case("corporate", date(2026, 11, 2)).reference
    audits = audit_count(council)
    view = set_template(council, "acknowledgement", OUR_ACKNOWLEDGEMENT, by="admin")
    assert (view.origin, view.version, view.text) == ("database", 1, OUR_ACKNOWLEDGEMENT)
    assert audit_count(council) == audits + 1
    html = preview_letter(council, reference, "acknowledgement", by="admin").html
    assert "Our own words: we have your complaint of Monday 2 November 2026" in html
    assert reference in html and "Customer Relations Team" in html  # the shipped layout


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{{ ''.__class__ }}", "may not use '__class__'"),
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "may not use '__"),
        ("{{ reference['__class__'] }}", "may not use '__class__'"),
        ("{{ reference | attr('__class__') }}", "may not use the attr filter"),
        ("{{ _secret }}", "may not use '_secret'"),
        ("{% set x = '__cla' ~ 'ss__' %}{{ reference[x] }}", "reaches for what templates may not"),
        ("{{ points.append(1) }}", "reaches for what templates may not touch"),
        ("{% if reference %}<p>Dear {{ recipient.name }</p>", "has a mistake on line 1"),
        ("<p>{{ complainant_shoe_size }}</p>", "uses a value letters do not have"),
        ("<p>{{ points | sum }}</p>", "cannot be rendered for a demo statutory children case"),
        ("{{ reference | center(80) }}", "may not use the center filter: the filters a letter"),
        ("{{ reference.ljust(80) }}", "reaches for what templates may not touch"),
        ("<p>{{ summary | safe }}</p>", "may not use the safe filter"),
        ("   ", "is empty"),
    ],
)
def test_unsafe_broken_or_unrenderable_wording_is_refused_and_nothing_is_stored(
    council: Context, text: str, message: str
) -> None:
    audits = audit_count(council)
    with pytest.raises(DomainError, match=message):
        set_template(council, "stage1_response", text, by="admin")
    assert versions(council) == [] and audit_count(council) == audits


@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ("{{ 'A' * 100000000 }}", "repeat a value"),
        ("{{ ['A'] * 20000000 }}", "repeat a value"),
        ("{{ '%100000000s' % reference }}", "format a text"),
        ("{{ '%100000000s' | format(reference) }}", "format a text"),
        ("{{ '{:>100000000}'.format(reference) }}", "format a text"),
        ("{{ reference.upper(100000000) }}", "be given the number 100,000,000"),
        ("{{ 10 ** 2000000 }}", "raise a number to a power"),
        ("{% set a = 'A' * 999999 %}{% set b = a ~ a %}{{ b }}", "join texts"),
        ("{% set a = 'A' * 999999 %}{{ a | replace('A', 'AA') }}", "replace text"),
        ("{% set a = 'A' * 9999 %}{{ range(999) | join(a) }}", "join a list"),
        ("{% set a = 'A' * 999999 %}{% set b %}{{ a }}{{ a }}{% endset %}", "gather more text"),
        ("{% set a = 'A' * 999999 %}{{ [a, a, a] }}", "build a value"),
        (
            "{% set n = namespace(text='A') %}{% for i in range(21) %}"
            "{% set n.text = n.text ~ n.text %}{% endfor %}{{ n.text }}",
            "join texts",
        ),
        ("{% for i in range(100000) %}<p>{{ reference }}</p>{% endfor %}", "come to more HTML"),
    ],
)
def test_wording_that_would_build_more_than_any_letter_is_refused_before_it_is_built(
    council: Context, text: str, refused: str
) -> None:
    tracemalloc.start()
    try:
        with pytest.raises(DomainError, match=f"would {refused}.*more than 1,000,000 characters"):
            set_template(council, "acknowledgement", text, by="admin")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 30_000_000  # bytes: the refused value was never built
    assert versions(council) == []


def test_a_shipped_template_is_held_to_the_size_of_the_largest_letter(council: Context) -> None:
    values = demo_values(council.settings, "corporate", child=False)
    point = values["points"][0]
    values["points"] = [dict(point, number=n, description="x" * 100) for n in range(1, 20_001)]

    with pytest.raises(DomainError, match="come to more HTML than a letter may hold"):
        render_template("stage1_response.html.j2", values)


def test_the_documentation_lists_every_filter_a_wording_may_use() -> None:
    documentation = (Path(__file__).parents[2] / "docs" / "security-files.md").read_text()
    assert [name for name in SANDBOX.filters if f"`{name}`" not in documentation] == []


def test_only_an_admin_changes_the_wording(council: Context) -> None:
    with pytest.raises(DomainError, match="a manager cannot change the wording of letters"):
        set_template(council, "acknowledgement", OUR_ACKNOWLEDGEMENT, by="mgr")
    with pytest.raises(DomainError, match="there is no letter template called 'layout'"):
        set_template(council, "layout", OUR_ACKNOWLEDGEMENT, by="admin")
    assert versions(council) == []


def test_every_version_is_kept_and_the_shipped_wording_can_be_put_back(
    council: Context, clock: SettableClock
) -> None:
    set_template(council, "acknowledgement", OUR_ACKNOWLEDGEMENT, by="admin")
    with pytest.raises(DomainError, match="already has this wording"):
        set_template(council, "acknowledgement", OUR_ACKNOWLEDGEMENT, by="admin")
    second = OUR_ACKNOWLEDGEMENT.replace("Thank you", "Thank you again")
    set_template(council, "acknowledgement", second, by="admin")
    reverted = revert_template(council, "acknowledgement", by="admin")
    assert (reverted.origin, reverted.version) == ("shipped", None)
    assert "We have received your complaint" in reverted.text
    assert [(v.version, v.set_by, v.sha256 is None) for v in reverted.history] == [
        (1, "admin", False),
        (2, "admin", False),
        (3, "admin", True),
    ]
    with pytest.raises(DomainError, match="has no wording of the council's to revert"):
        revert_template(council, "acknowledgement", by="admin")
    assert {v.text for v in versions(council)} == {OUR_ACKNOWLEDGEMENT, second, None}
    listed = {view.name: view.origin for view in list_templates(council)}
    assert listed["acknowledgement"] == "shipped" and "child/stage1_response" in listed


def test_a_letter_is_sent_in_the_wording_it_was_drafted_in(council: Context, ready: str) -> None:
    reference = ready
    ours = """{% extends "layout.html.j2" %}{% block body %}<p>Version one.</p>
{% include "_findings.html.j2" %}<p>Ask by {{ ask_by | long_date }}.</p>{% endblock %}"""
    set_template(council, "stage1_response", ours, by="admin")
    drafted = draft_letter(
        council,
        reference,
        "stage1_response",
        by="qa",
        expected_version=version_of(council, reference),
    )
    set_template(council, "stage1_response", ours.replace("one", "two"), by="admin")
    submit_letter(
        council, reference, drafted.id, by="qa", expected_version=version_of(council, reference)
    )
    approve_letter(
        council, reference, drafted.id, by="mgr", expected_version=version_of(council, reference)
    )
    revert_template(council, "stage1_response", by="admin")
    send_letter(
        council, reference, drafted.id, by="off", expected_version=version_of(council, reference)
    )
    with council.database.reader() as session:
        sent = session.exec(select(Letter)).one()
    assert sent.html is not None and "Version one." in sent.html
    assert "Visits were missed" in sent.html and sent.template_text == ours


def test_a_letter_drafted_in_the_shipped_wording_keeps_it(
    council: Context, log_case: LogCase
) -> None:
    reference = log_case("corporate", date(2026, 11, 2)).reference
    drafted = draft_letter(
        council,
        reference,
        "acknowledgement",
        by="off",
        expected_version=version_of(council, reference),
    )
    set_template(council, "acknowledgement", OUR_ACKNOWLEDGEMENT, by="admin")
    send_letter(
        council, reference, drafted.id, by="off", expected_version=version_of(council, reference)
    )
    with council.database.reader() as session:
        sent = session.exec(select(Letter)).one()
    assert sent.html is not None and "We have received your complaint" in sent.html
    assert sent.template_text is None


def test_the_folder_s_wording_is_used_unless_the_database_has_newer(
    council: Context, clock: SettableClock, log_case: LogCase, tmp_path: Path
) -> None:
    (tmp_path / "child").mkdir()
    (tmp_path / "acknowledgement.html.j2").write_text(
        OUR_ACKNOWLEDGEMENT.replace("Our own words", "From the folder")
    )
    letters = LetterSettings(override_folder=str(tmp_path))
    folder = Context(
        dataclasses.replace(council.settings, letters=letters), clock, council.database
    )
    reference = log_case("corporate", date(2026, 11, 2)).reference
    assert (
        "From the folder" in preview_letter(folder, reference, "acknowledgement", by="admin").html
    )
    assert show_template(folder, "acknowledgement").origin == "folder"
    set_template(folder, "acknowledgement", OUR_ACKNOWLEDGEMENT, by="admin")
    assert "Our own words" in preview_letter(folder, reference, "acknowledgement", by="admin").html
    assert revert_template(folder, "acknowledgement", by="admin").origin == "folder"
    (tmp_path / "acknowledgement.html.j2").write_text("{{ ''.__class__ }}")
    with pytest.raises(DomainError, match=r"acknowledgement\.html\.j2: the template may not use"):
        preview_letter(folder, reference, "acknowledgement", by="admin")


def test_the_template_commands(council: Context, tmp_path: Path) -> None:
    def run(*args: str, code: int = 0) -> str:
        result = CliRunner().invoke(cli, list(args), obj={"context": council})
        assert result.exit_code == code, result.output
        return result.stdout if code == 0 else result.stderr

    wording = tmp_path / "acknowledgement.html.j2"
    wording.write_text(OUR_ACKNOWLEDGEMENT)
    assert "acknowledgement" in run("letter", "template", "list")
    assert (
        run("letter", "template", "set", "acknowledgement", "--file", str(wording), "--by", "admin")
        == "Template acknowledgement is now version 1.\n"
    )
    shown = run("letter", "template", "show", "acknowledgement")
    assert "# version 1 by admin" in shown and "# in force: database version 1" in shown
    assert shown.endswith(OUR_ACKNOWLEDGEMENT)
    wording.write_text("{{ ''.__class__ }}")
    refused = run(
        "letter",
        "template",
        "set",
        "acknowledgement",
        "--file",
        str(wording),
        "--by",
        "admin",
        code=1,
    )
    assert "may not use '__class__'" in refused
    assert (
        run("letter", "template", "revert", "acknowledgement", "--by", "admin")
        == "Template acknowledgement now uses the shipped wording.\n"
    )
