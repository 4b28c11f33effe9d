"""Which letters fit a case now, read from its workflow's declaration (`Transition.letter`) and
what has happened at the case's current stage. No procedure or state is named here.

A letter fits when:
- a step that sends it can be taken from the case's state now, or lies ahead in the current
  stage along steps that send no letter (a stage 1 response is written while the case is
  investigated, put forward and approved; it is sent from the approved state); or
- a step that sends it and records something (an extension, what information is needed, where
  a matter belongs, how a complaint was resolved early) was taken at this stage and the letter
  has not been sent since: such a letter tells the complainant about the step, so it follows it.
  The letters whose text needs what the step records (`NEEDS`) fit only this way.

A letter already sent at this stage does not fit again (a correction of it is drafted instead),
nor does one whose step the case is past (an acknowledgement once the complaint is
acknowledged). Every step is declared in `workflows/`; the history comes from the service that
read the case (`complaints.services.letter_fit`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from complaints.letters.kinds import NEEDS, RESPONSES
from workflows.definition import Transition, Workflow


@dataclass(frozen=True)
class TakenStep:
    """A workflow step taken at the case's current stage."""

    trigger: str
    source: str  # the state it was taken from
    order: int  # its place in the case's history: later steps have larger numbers


@dataclass(frozen=True)
class SentLetter:
    """The latest letter of one template sent at the case's current stage."""

    letter_id: int
    order: int  # when it was sent, on the same scale as `TakenStep.order`


@dataclass(frozen=True)
class StageHistory:
    """What happened since the case's current stage began (it was logged, reallocated or
    escalated): the steps taken, and by template the latest letter sent."""

    steps: tuple[TakenStep, ...] = ()
    sent: Mapping[str, SentLetter] = field(default_factory=dict)


def letters_that_fit(workflow: Workflow, state: str, history: StageHistory) -> tuple[str, ...]:
    """The letters that fit a case of `workflow` in `state` with `history`: responses (which
    need sign-off) first, then the others, each group by name."""
    declared = dict.fromkeys(t.letter for t in workflow.transitions if t.letter)
    fitting = [
        name for name in declared if why_it_does_not_fit(workflow, state, history, name) is None
    ]
    return tuple(sorted(fitting, key=lambda name: (name not in RESPONSES, name)))


def why_it_does_not_fit(
    workflow: Workflow, state: str, history: StageHistory, letter: str
) -> str | None:
    """Why the letter `letter` does not fit the case now, or None when it does."""
    steps = tuple(t for t in workflow.transitions if t.letter == letter)
    name = words(letter)
    if not steps:
        return f"the {name} is not a letter of the {procedure_words(workflow)} procedure"
    sent = history.sent.get(letter)
    recording = tuple(step for step in steps if records(step))
    if any(_follows(workflow, state, history, step, sent) for step in recording):
        return None
    if letter in NEEDS:
        return _not_recorded(state, history, recording, letter, sent)
    if sent is not None:
        return (
            f"the {name} has already been sent at this stage (letter {sent.letter_id}); "
            "draft a correction of that letter instead"
        )
    sources = frozenset(source for step in steps for source in step.source)
    if ahead(workflow, state) & sources:
        return None
    return _elsewhere(workflow, state, name, sources)


def records(step: Transition) -> bool:
    """Whether the step records something a person enters (a value it requires)."""
    return any(spec.required for spec in step.fields)


def ahead(workflow: Workflow, state: str) -> frozenset[str]:
    """`state` and the states of its stage a case can reach from it by steps that send no
    letter."""
    return frozenset(_ways(workflow, state, lambda step: step.letter is None))


def words(name: str) -> str:
    """A letter's or state's name in words: 'stage1_response' -> 'stage 1 response'."""
    return " ".join(name.replace("stage", "stage ").replace("_", " ").split())


def procedure_words(workflow: Workflow) -> str:
    return workflow.short_label or workflow.title


def _follows(
    workflow: Workflow,
    state: str,
    history: StageHistory,
    step: Transition,
    sent: SentLetter | None,
) -> bool:
    """Whether `step` was taken at this stage since the letter was last sent, and the case is
    still open or the step is what closed it (a redirection)."""
    if state in workflow.final_states and step.dest != state:
        return False
    return any(
        taken.trigger == step.trigger
        and taken.source in step.source
        and (sent is None or taken.order > sent.order)
        for taken in history.steps
    )


def _not_recorded(
    state: str,
    history: StageHistory,
    recording: tuple[Transition, ...],
    letter: str,
    sent: SentLetter | None,
) -> str:
    name = words(letter)
    triggers = tuple(dict.fromkeys(step.trigger for step in recording))
    said = " or ".join(f"'{trigger}'" for trigger in triggers)
    if not any(taken.trigger in triggers for taken in history.steps):
        return f"the {name} letter cannot be written yet at this stage: {NEEDS[letter][1]}"
    if sent is not None:
        return (
            f"the {name} letter about the last {said} at this stage has been sent "
            f"(letter {sent.letter_id}); a new one follows that step taken again"
        )
    return f"the {name} letter is not written once the case is {words(state)}"


def _elsewhere(workflow: Workflow, state: str, name: str, sources: frozenset[str]) -> str:
    """Why a letter whose steps the case cannot reach at this stage without sending another
    letter does not fit: not yet (naming the step that comes first), or the case is past it."""
    fits_in = [s for s in workflow.states if ahead(workflow, s) & sources]
    where = _either([words(s) for s in fits_in])
    now = words(state)
    ways = _ways(workflow, state, lambda step: True)
    first = next((ways[s] for s in ways if s in fits_in), None)
    if first:
        return f"the {name} is written once the case is {where}, after '{first}'; the case is {now}"
    if any(state in _ways(workflow, s, lambda step: True) for s in fits_in):
        return (
            f"the {name} is written when the case is {where}, and the case is past that "
            f"({now}); to change one already sent, draft a correction of it"
        )
    return f"the {name} is written when the case is {where}; the case is {now}"


def _ways(workflow: Workflow, state: str, follow: Callable[[Transition], bool]) -> dict[str, str]:
    """The states of `state`'s stage a case can reach from it by the steps `follow` allows,
    nearest first, each with the first step of a shortest way there ('' for `state`)."""
    stage = workflow.stages.get(state)
    first = {state: ""}
    waiting = deque([state])
    while waiting:
        current = waiting.popleft()
        for step in workflow.transitions:
            dest = step.dest
            if dest is None or dest in first or current not in step.source:
                continue
            if workflow.stages.get(dest) == stage and follow(step):
                first[dest] = first[current] or step.trigger
                waiting.append(dest)
    return first


def _either(names: list[str]) -> str:
    """'a', 'a or b', 'a, b or c'."""
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} or {names[-1]}"
