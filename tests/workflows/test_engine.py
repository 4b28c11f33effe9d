"""Every transition of every workflow, allowed and refused, at the engine: the right state and
role with the conditions met pass; a wrong state, a wrong role or an unmet condition is refused
with a message; the shared machine moves the case where the declaration says."""

from __future__ import annotations

import pytest

from complaints.errors import DomainError
from complaints.models import Role
from workflows import WORKFLOWS
from workflows.definition import Transition, Workflow
from workflows.diagrams import mermaid
from workflows.engine import CONDITIONS, CaseFacts, WorkflowEngine

ENGINE = WorkflowEngine()
ALL_ROLES = {role.value for role in Role}

# The canonical states of docs/workflows.md.
DESIGN_STATES = {
    "statutory_children": {
        "received", "stage1_investigating", "stage1_qa", "stage1_approved", "stage1_responded",
        "stage2_statement", "stage2_investigating", "stage2_adjudication", "stage2_responded",
        "stage3_panel_pending", "stage3_panel_held", "stage3_response", "closed", "withdrawn",
    },
    "corporate": {
        "received", "stage1_investigating", "stage1_qa", "stage1_approved", "stage1_responded",
        "stage2_received", "stage2_investigating", "stage2_qa", "stage2_approved",
        "stage2_responded", "closed", "withdrawn",
    },
    "adult_social_care": {
        "received", "investigating", "qa", "approved", "responded", "closed", "withdrawn",
    },
}  # fmt: skip


def cases() -> list[tuple[Workflow, Transition, str]]:
    return [
        (workflow, transition, source)
        for workflow in WORKFLOWS.values()
        for transition in workflow.transitions
        for source in transition.source
    ]


def facts_for(transition: Transition) -> CaseFacts:
    """Facts that meet every condition of `transition`."""
    return CaseFacts(point_count=1, on_hold="on_hold" in transition.conditions)


IDS = [f"{w.name}.{t.trigger}.from.{s}" for w, t, s in cases()]


@pytest.mark.parametrize(("workflow", "transition", "source"), cases(), ids=IDS)
def test_an_allowed_role_fires_the_transition_to_its_destination(
    workflow: Workflow, transition: Transition, source: str
) -> None:
    for role in transition.roles:
        checked = ENGINE.check(
            workflow.name, source, transition.trigger, role, facts_for(transition)
        )
        assert checked is transition
    assert ENGINE.next_state(workflow.name, source, transition.trigger) == (
        transition.dest or source
    )


@pytest.mark.parametrize(("workflow", "transition", "source"), cases(), ids=IDS)
def test_a_role_not_allowed_is_refused(
    workflow: Workflow, transition: Transition, source: str
) -> None:
    for role in ALL_ROLES - transition.roles:
        with pytest.raises(DomainError, match=f"can do '{transition.trigger}'; you are a"):
            ENGINE.check(workflow.name, source, transition.trigger, role, facts_for(transition))


@pytest.mark.parametrize(("workflow", "transition", "source"), cases(), ids=IDS)
def test_the_trigger_is_refused_in_every_state_it_is_not_declared_for(
    workflow: Workflow, transition: Transition, source: str
) -> None:
    declared = {s for t in workflow.transitions_for(transition.trigger) for s in t.source}
    for state in set(workflow.states) - declared:
        with pytest.raises(DomainError, match="cannot be done while the case is"):
            ENGINE.check(workflow.name, state, transition.trigger, "admin", facts_for(transition))
        with pytest.raises(DomainError):
            ENGINE.next_state(workflow.name, state, transition.trigger)


@pytest.mark.parametrize(
    ("workflow", "transition", "source"),
    [(w, t, s) for w, t, s in cases() if t.conditions],
    ids=[f"{w.name}.{t.trigger}.from.{s}" for w, t, s in cases() if t.conditions],
)
def test_an_unmet_condition_is_refused_with_its_reason(
    workflow: Workflow, transition: Transition, source: str
) -> None:
    unmet = {
        "points_have_findings": CaseFacts(point_count=3, points_without_findings=(2, 3)),
        "not_on_hold": CaseFacts(on_hold=True),
        "on_hold": CaseFacts(on_hold=False),
        "second_pair_of_eyes": CaseFacts(acting_user_id=7, draft_by=frozenset({7})),
    }
    role = sorted(transition.roles)[0]
    for name in transition.conditions:
        with pytest.raises(DomainError, match="refused: "):
            ENGINE.check(workflow.name, source, transition.trigger, role, unmet[name])


def test_a_response_is_refused_while_a_point_has_no_finding() -> None:
    facts = CaseFacts(point_count=3, points_without_findings=(2,))
    with pytest.raises(DomainError, match="complaint point 2 has no finding"):
        ENGINE.check("statutory_children", "stage1_approved", "send_response", "officer", facts)


def test_an_unknown_trigger_names_the_steps_there_are() -> None:
    with pytest.raises(DomainError, match=r"'fly' is not a step of .* its steps are acknowledge"):
        ENGINE.check("corporate", "received", "fly", "officer", CaseFacts())


def test_an_unknown_procedure_is_refused() -> None:
    with pytest.raises(DomainError, match="'housing' is not a procedure"):
        ENGINE.workflow("housing")


@pytest.mark.parametrize("name", sorted(DESIGN_STATES))
def test_states_are_the_canonical_names_of_the_design(name: str) -> None:
    assert set(WORKFLOWS[name].states) == DESIGN_STATES[name]


def test_every_transition_of_design_4a_is_declared_for_the_statutory_procedure() -> None:
    declared = {
        (t.trigger, s, t.dest)
        for t in WORKFLOWS["statutory_children"].transitions
        for s in t.source
    }
    for expected in [
        ("acknowledge", "received", "stage1_investigating"),
        ("allocate", "stage1_investigating", None),
        ("extend", "stage1_investigating", None),
        ("submit_draft", "stage1_investigating", "stage1_qa"),
        ("return_draft", "stage1_qa", "stage1_investigating"),
        ("approve", "stage1_qa", "stage1_approved"),
        ("send_response", "stage1_approved", "stage1_responded"),
        ("resolve_early", "stage1_investigating", "stage1_responded"),
        ("request_stage2", "received", "stage2_statement"),
        ("request_stage2", "stage1_responded", "stage2_statement"),
        ("agree_statement", "stage2_statement", "stage2_investigating"),
        ("receive_report", "stage2_investigating", "stage2_adjudication"),
        ("adjudicate", "stage2_adjudication", "stage2_responded"),
        ("request_review", "stage2_responded", "stage3_panel_pending"),
        ("hold_panel", "stage3_panel_pending", "stage3_panel_held"),
        ("receive_panel_report", "stage3_panel_held", "stage3_response"),
        ("respond_to_panel", "stage3_response", "closed"),
        ("close", "stage1_responded", "closed"),
        ("close", "stage2_responded", "closed"),
        ("withdraw", "stage2_investigating", "withdrawn"),
        ("hold", "stage3_panel_pending", None),
    ]:
        assert expected in declared


def test_the_machines_are_built_once_and_shared() -> None:
    from complaints.context import shared_engine

    assert shared_engine() is shared_engine()
    machines = shared_engine()._machines
    assert set(machines) == set(WORKFLOWS)


def test_every_declared_condition_has_a_check() -> None:
    used = {name for w in WORKFLOWS.values() for t in w.transitions for name in t.conditions}
    assert used <= set(CONDITIONS)


def test_what_each_role_may_do_in_a_state() -> None:
    officer = {t.trigger for t in ENGINE.available("statutory_children", "stage1_qa", "officer")}
    manager = {t.trigger for t in ENGINE.available("statutory_children", "stage1_qa", "manager")}
    assert "approve" not in officer and "approve" in manager
    assert {"withdraw", "hold", "request_stage2"} <= officer


@pytest.mark.parametrize("name", sorted(WORKFLOWS))
def test_each_workflow_draws_as_a_mermaid_state_diagram(name: str) -> None:
    workflow = WORKFLOWS[name]
    diagram = mermaid(workflow)
    assert diagram.startswith("stateDiagram-v2\n")
    assert f"[*] --> {workflow.initial}: log" in diagram
    for transition in workflow.transitions:
        if transition.dest and transition.trigger not in {"withdraw"}:
            assert f"--> {transition.dest}: {transition.trigger}" in diagram


def test_a_response_timer_has_not_started_in_the_states_before_the_step_that_starts_it() -> None:
    def waiting(name: str, deadline: str, stage: int) -> set[str]:
        workflow = WORKFLOWS[name]
        before = workflow.states_before(deadline)
        return {state for state in before if workflow.stages.get(state) == stage}

    assert WORKFLOWS["statutory_children"].states_before("stage1_response") == frozenset()
    assert waiting("statutory_children", "stage2_investigation", 2) == {"stage2_statement"}
    assert waiting("statutory_children", "panel_response", 3) == {
        "stage3_panel_pending",
        "stage3_panel_held",
    }
    assert waiting("corporate", "stage1_response", 1) == {"received"}
    assert waiting("corporate", "stage2_response", 2) == {"stage2_received"}
    assert waiting("adult_social_care", "response", 1) == {"received"}
