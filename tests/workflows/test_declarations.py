"""The deadline and effect declarations: what the engine refuses when it is built, and what the
rest of the product derives from them."""

from __future__ import annotations

import dataclasses
import re

import pytest

from complaints.services.effects import EFFECTS
from workflows import WORKFLOWS
from workflows.common import OFFICE
from workflows.definition import DeadlineRole, Effect, FieldKind, FieldSpec, Transition, Workflow
from workflows.engine import WorkflowEngine

CORPORATE = WORKFLOWS["corporate"]


def _with(transition: Transition) -> Workflow:
    return dataclasses.replace(CORPORATE, transitions=(*CORPORATE.transitions, transition))


def _step(**declared: object) -> Transition:
    step = Transition("check", ("closed",), None, OFFICE, "A step.")
    return dataclasses.replace(step, **declared)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("declared", "refusal"),
    [
        ({"effects": ("celebrate",)}, "corporate.check: unknown effects {'celebrate'}"),
        ({"starts": ("stage3_response",)}, "corporate has no deadline 'stage3_response'"),
        ({"stops": ("stage1_respons",)}, "corporate has no deadline 'stage1_respons'"),
        ({"extends": "stage1_response"}, "the extend effect and `extends` go together"),
        (
            {"extends": "acknowledgement", "effects": (Effect.EXTEND,)},
            "acknowledgement is not declared extendable",
        ),
        (
            {"description": "Within {stage9_response}."},
            "corporate has no deadline 'stage9_response'",
        ),
        (
            {"fields": (FieldSpec("days", FieldKind.WHOLE_NUMBER, "Days", hint="{stage9}"),)},
            "corporate has no deadline 'stage9'",
        ),
        (
            {"fields": (FieldSpec("days", FieldKind.WHOLE_NUMBER, "Extra {extended.unit}"),)},
            "corporate.check: its words name the deadline it extends, but it extends none",
        ),
    ],
)
def test_the_engine_refuses_a_step_naming_what_its_workflow_does_not_declare(
    declared: dict[str, object], refusal: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(refusal)):
        WorkflowEngine({"corporate": _with(_step(**declared))})


def test_an_extension_needing_the_complainants_agreement_must_ask_for_it() -> None:
    statutory = WORKFLOWS["statutory_children"]
    without = tuple(
        dataclasses.replace(t, fields=t.fields[:-1]) if t.extends == "stage1_response" else t
        for t in statutory.transitions
    )
    with pytest.raises(ValueError, match="extending stage1_response needs the complainant_agreed"):
        WorkflowEngine({"statutory_children": dataclasses.replace(statutory, transitions=without)})


def test_a_deadline_nothing_starts_is_refused() -> None:
    orphan = dataclasses.replace(
        CORPORATE,
        deadlines=(*CORPORATE.deadlines, dataclasses.replace(CORPORATE.deadlines[-1], name="x")),
    )
    with pytest.raises(ValueError, match="nothing starts x"):
        WorkflowEngine({"corporate": orphan})


def test_every_effect_a_workflow_may_declare_has_its_function() -> None:
    assert set(EFFECTS) == set(Effect)


def test_no_step_is_told_what_to_do_by_its_name() -> None:
    # The same trigger does different things in different procedures: only the adult social
    # care acknowledgement agrees a response date.
    agreeing = {
        (name, t.trigger)
        for name, workflow in WORKFLOWS.items()
        for t in workflow.transitions
        if Effect.AGREE_RESPONSE_DATE in t.effects
    }
    assert agreeing == {("adult_social_care", "acknowledge")}


def test_each_stage_of_a_complaints_procedure_has_one_response_deadline() -> None:
    for workflow in WORKFLOWS.values():
        for stage in set(workflow.stages.values()) - {0}:
            assert len(workflow.with_role(DeadlineRole.RESPONSE, stage=stage)) == 1, (
                workflow.name,
                stage,
            )


def test_the_stage_a_complainant_may_ask_for_next_is_read_from_the_escalating_steps() -> None:
    after = {name: [WORKFLOWS[name].next_stage(stage) for stage in (1, 2, 3)] for name in WORKFLOWS}
    assert after["statutory_children"] == [2, 3, None]
    assert after["corporate"] == [2, None, None]
    assert after["adult_social_care"] == [None, None, None]


def test_only_the_adult_social_care_response_date_is_agreed_with_the_complainant() -> None:
    agreed = {
        (name, deadline.name)
        for name, workflow in WORKFLOWS.items()
        for deadline in workflow.deadlines
        if workflow.agrees_date(deadline.name)
    }
    assert agreed == {("adult_social_care", "response")}
