"""Which letters fit a case (complaints/letters/fit.py), for every shipped procedure and every
state: the exact letters for representative states, and properties for all of them. A case is
taken to each state the shortest way from the first, as the product would take it: a step that
sends a letter sends it with the step, unless the step records something (then the letter
follows, still to be written)."""

from __future__ import annotations

from collections import deque

import pytest

from complaints.letters.environment import letter_names
from complaints.letters.fit import (
    SentLetter,
    StageHistory,
    TakenStep,
    letters_that_fit,
    records,
    why_it_does_not_fit,
)
from complaints.letters.kinds import NEEDS, RESPONSES
from workflows import WORKFLOWS
from workflows.definition import Transition, Workflow

EVERY_STATE = [(name, state) for name, wf in WORKFLOWS.items() for state in wf.states]


def shortest_way(workflow: Workflow, state: str) -> list[Transition]:
    """The steps of a shortest way from the workflow's first state to `state`."""
    ways: dict[str, list[Transition]] = {workflow.initial: []}
    waiting = deque([workflow.initial])
    while waiting:
        current = waiting.popleft()
        for step in workflow.transitions:
            if step.dest and current in step.source and step.dest not in ways:
                ways[step.dest] = [*ways[current], step]
                waiting.append(step.dest)
    return ways[state]


def history_on_the_way(workflow: Workflow, state: str) -> StageHistory:
    """What happened at the stage a case reaches `state` in, taken there the shortest way."""
    steps: list[TakenStep] = []
    sent: dict[str, SentLetter] = {}
    at = workflow.initial
    for order, step in enumerate(shortest_way(workflow, state), start=1):
        if step.stage is not None:
            steps, sent = [], {}  # a new stage begins with this step
        steps.append(TakenStep(step.trigger, at, order))
        if step.letter and not records(step):
            sent[step.letter] = SentLetter(order, order)
        at = step.dest or at
    return StageHistory(tuple(steps), sent)


def offered(procedure: str, state: str) -> set[str]:
    workflow = WORKFLOWS[procedure]
    return set(letters_that_fit(workflow, state, history_on_the_way(workflow, state)))


@pytest.mark.parametrize(
    ("procedure", "state", "letters"),
    [
        ("statutory_children", "received", {"acknowledgement", "lgsco_signposting"}),
        (
            "statutory_children",
            "stage1_investigating",
            {"stage1_response", "early_resolution", "lgsco_signposting"},
        ),
        ("statutory_children", "stage1_approved", {"stage1_response", "lgsco_signposting"}),
        # Reached the shortest way, by resolving early: its confirmation is still to be written.
        ("statutory_children", "stage1_responded", {"early_resolution", "lgsco_signposting"}),
        ("statutory_children", "stage2_statement", {"stage2_acknowledgement", "lgsco_signposting"}),
        ("statutory_children", "stage2_investigating", {"adjudication", "lgsco_signposting"}),
        (
            "statutory_children",
            "stage3_panel_held",
            {"panel_response", "panel_arrangements", "lgsco_signposting"},
        ),
        ("statutory_children", "closed", {"lgsco_signposting"}),
        ("statutory_children", "withdrawn", set()),
        ("corporate", "received", {"acknowledgement", "lgsco_signposting"}),
        ("corporate", "stage1_qa", {"stage1_response", "lgsco_signposting"}),
        ("corporate", "stage1_responded", {"lgsco_signposting"}),
        ("corporate", "stage2_received", {"stage2_acknowledgement", "lgsco_signposting"}),
        ("corporate", "stage2_approved", {"stage2_response", "lgsco_signposting"}),
        ("adult_social_care", "received", {"acknowledgement", "lgsco_signposting"}),
        ("adult_social_care", "investigating", {"adult_response", "lgsco_signposting"}),
        ("adult_social_care", "responded", {"lgsco_signposting"}),
        ("feedback", "received", {"compliment_acknowledgement", "lgsco_signposting"}),
        ("feedback", "closed", {"lgsco_signposting"}),
        ("redirection", "received", {"lgsco_signposting"}),
        ("redirection", "redirected", {"redirection", "lgsco_signposting"}),
    ],
)
def test_the_letters_offered_in_representative_states(
    procedure: str, state: str, letters: set[str]
) -> None:
    assert offered(procedure, state) == letters


@pytest.mark.parametrize(("procedure", "state"), EVERY_STATE)
def test_every_letter_offered_goes_with_a_step_of_the_procedure(procedure: str, state: str) -> None:
    workflow = WORKFLOWS[procedure]
    history = history_on_the_way(workflow, state)
    fitting = letters_that_fit(workflow, state, history)
    declared = {step.letter for step in workflow.transitions}
    assert set(fitting) <= declared
    # Responses (which need sign-off) first.
    assert list(fitting) == sorted(fitting, key=lambda name: (name not in RESPONSES, name))
    for name in letter_names():
        reason = why_it_does_not_fit(workflow, state, history, name)
        assert (reason is None) == (name in fitting), (name, reason)
        if name not in declared:
            assert reason is not None
            assert reason.endswith(f" is not a letter of the {workflow.short_label} procedure")


@pytest.mark.parametrize(("procedure", "state"), EVERY_STATE)
def test_a_letter_already_sent_at_this_stage_is_not_offered_again(
    procedure: str, state: str
) -> None:
    workflow = WORKFLOWS[procedure]
    history = history_on_the_way(workflow, state)
    for name in letters_that_fit(workflow, state, history):
        latest = SentLetter(letter_id=99, order=1_000)
        sent = StageHistory(history.steps, {**history.sent, name: latest})
        assert name not in letters_that_fit(workflow, state, sent)
        assert "(letter 99)" in (why_it_does_not_fit(workflow, state, sent, name) or "")


@pytest.mark.parametrize(("procedure", "state"), EVERY_STATE)
def test_a_letter_about_a_recorded_step_fits_only_once_it_is_recorded(
    procedure: str, state: str
) -> None:
    """With nothing recorded at this stage, no letter that needs a recorded value fits; once
    its step is taken from here, it fits wherever the step leads, until it is sent."""
    workflow = WORKFLOWS[procedure]
    assert not set(letters_that_fit(workflow, state, StageHistory())) & set(NEEDS)
    for step in workflow.transitions:
        if step.letter not in NEEDS or state not in step.source:
            continue
        after = step.dest or state
        taken = StageHistory((TakenStep(step.trigger, state, 1),))
        assert step.letter in letters_that_fit(workflow, after, taken)
        sent = StageHistory(taken.steps, {step.letter: SentLetter(7, 2)})
        assert step.letter not in letters_that_fit(workflow, after, sent)
        again = StageHistory((*taken.steps, TakenStep(step.trigger, state, 3)), sent.sent)
        assert step.letter in letters_that_fit(workflow, after, again)


def test_the_refusals_say_why() -> None:
    statutory = WORKFLOWS["statutory_children"]
    assert why_it_does_not_fit(
        statutory, "received", StageHistory(), "compliment_acknowledgement"
    ) == (
        "the compliment acknowledgement is not a letter of the Children's social care "
        "(statutory) procedure"
    )
    assert why_it_does_not_fit(statutory, "received", StageHistory(), "stage1_response") == (
        "the stage 1 response is written once the case is stage 1 investigating, stage 1 qa or "
        "stage 1 approved, after 'acknowledge'; the case is received"
    )
    assert why_it_does_not_fit(
        statutory, "stage1_investigating", StageHistory(), "acknowledgement"
    ) == (
        "the acknowledgement is written when the case is received, and the case is past that "
        "(stage 1 investigating); to change one already sent, draft a correction of it"
    )
    assert why_it_does_not_fit(
        statutory, "stage1_investigating", StageHistory(), "extension_notice"
    ) == (
        "the extension notice letter cannot be written yet at this stage: the case has no "
        "extension to tell the complainant about; record it first (extend)"
    )
