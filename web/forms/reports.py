"""The reports page's form (web/reports.py), sent in the query string: a financial year, a quarter
of one, or any dates, and if wanted a procedure, a service area, and small counts suppressed.
Only what the kind of period needs is asked."""

from __future__ import annotations

from typing import Any

from complaints.models import Procedure
from web.forms.base import PageForm
from web.forms.fields import ChoiceField, DateField, WholeNumberField, YesField

KINDS = (("annual", "A financial year (1 April to 31 March)"), ("quarter", "A quarter"),
         ("range", "Any dates"))  # fmt: skip
QUARTERS = (("1", "April to June"), ("2", "July to September"), ("3", "October to December"),
            ("4", "January to March"))  # fmt: skip
PROCEDURES = [(p.value, p.value.replace("_", " ").capitalize()) for p in Procedure]
# What each kind of period does not ask (any answers given are not read).
UNASKED = {
    "annual": ("quarter", "start", "end"),
    "quarter": ("start", "end"),
    "range": ("quarter",),
}
ENTER_YEAR = "Enter the year the financial year starts in, like 2025"


class ReportForm(PageForm):
    kind = ChoiceField("What period?", "what period to report on", choices=KINDS)
    year = WholeNumberField(
        "Financial year it starts in",
        "the year the financial year starts in",
        required=False,
        description="For a year or a quarter. For example, 2025 for April 2025 to March 2026.",
    )
    quarter = ChoiceField("Quarter", "the quarter", choices=QUARTERS)
    start = DateField("First day (for any dates)", "the first day", name="from")
    end = DateField("Last day (for any dates)", "the last day", name="to")
    procedure = ChoiceField("Procedure (optional)", "a procedure", required=False,
                            choices=PROCEDURES)  # fmt: skip
    team = ChoiceField("Service area (optional)", "a service area", required=False)
    suppress = YesField('Show counts under 5 as "<5" (for publication)')

    def __init__(self, teams: list[str], **shown: Any) -> None:
        super().__init__(query=not shown, **shown)
        self.team.choices = [(name, name) for name in teams]

    def validate(self, extra_validators: Any = None) -> bool:
        kind = self.kind.data
        super().validate(extra_validators)
        # The boxes of another kind of period are not asked.
        unasked = UNASKED.get(kind, ("quarter", "start", "end"))
        for name in unasked:
            self[name].errors = []
        if kind in ("annual", "quarter") and not self.year.typed.strip():
            self.add_problem(ENTER_YEAR, self.year)
        return not self.problems
