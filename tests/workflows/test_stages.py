"""The stage each state of a procedure belongs to, as the engine answers it: the stage whose
timescales apply while a case is there, and none once it is closed or withdrawn."""

from __future__ import annotations

import pytest

from complaints.errors import DomainError
from workflows.engine import WorkflowEngine


@pytest.mark.parametrize(
    ("procedure", "state", "stage"),
    [
        ("statutory_children", "received", 1),
        ("statutory_children", "stage2_adjudication", 2),
        ("statutory_children", "stage3_panel_held", 3),
        ("statutory_children", "closed", None),
        ("corporate", "stage2_received", 2),
        ("adult_social_care", "withdrawn", None),
    ],
)
def test_each_state_belongs_to_its_stage(procedure: str, state: str, stage: int | None) -> None:
    assert WorkflowEngine().stage_of(procedure, state) == stage


def test_the_stage_of_a_procedure_there_is_not_is_refused() -> None:
    with pytest.raises(DomainError, match="'housing' is not a procedure"):
        WorkflowEngine().stage_of("housing", "received")
