"""The engine: binds each workflow declaration to cases through one shared `transitions` machine
per workflow, built once, and answers the questions the service layer and the web ask: may this
person fire this trigger on this case now, what does it require, and where does it lead.

A case is never bound to a machine for longer than one decision: the engine hands the machine a
light token holding the case's state and lets it move the token (the library's model), so no
Machine is built per case or per request.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from transitions import Machine, MachineError

from complaints.errors import AccessDeniedError, DomainError
from complaints.permissions import second_pair_of_eyes
from workflows import WORKFLOWS
from workflows.definition import (
    EXTENDED,
    Deadline,
    DeadlineRole,
    Effect,
    Event,
    Transition,
    Workflow,
    description_deadlines,
)


@dataclass(frozen=True)
class CaseFacts:
    """What the conditions of a transition look at, gathered by the service from the database."""

    points_without_findings: tuple[int, ...] = ()
    point_count: int = 0
    on_hold: bool = False
    acting_user_id: int | None = None
    # Who wrote the draft response awaiting sign-off or put it forward (four eyes).
    draft_by: frozenset[int] = frozenset()


ConditionCheck = Callable[[CaseFacts], str | None]


def _points_have_findings(facts: CaseFacts) -> str | None:
    if facts.point_count == 0:
        return "the case has no complaint points yet; add at least one and record its finding"
    if facts.points_without_findings:
        numbers = ", ".join(str(number) for number in facts.points_without_findings)
        return f"complaint point {numbers} has no finding at this stage yet"
    return None


CONDITIONS: Mapping[str, ConditionCheck] = {
    "points_have_findings": _points_have_findings,
    "not_on_hold": lambda facts: "the case is already on hold" if facts.on_hold else None,
    "on_hold": lambda facts: None if facts.on_hold else "the case is not on hold",
    "second_pair_of_eyes": lambda facts: second_pair_of_eyes(facts.acting_user_id, facts.draft_by),
}


@dataclass
class _Token:
    """The model the shared machine moves: just a state."""

    state: str
    trail: list[str] = field(default_factory=list)


class WorkflowEngine:
    """Every workflow, each with its machine, built once when the engine is made."""

    def __init__(self, workflows: Mapping[str, Workflow] = WORKFLOWS) -> None:
        self.workflows = dict(workflows)
        for workflow in self.workflows.values():
            _check_declaration(workflow)
        self._machines = {name: _build_machine(wf) for name, wf in self.workflows.items()}

    def workflow(self, procedure: str) -> Workflow:
        try:
            return self.workflows[procedure]
        except KeyError:
            known = ", ".join(self.workflows)
            raise DomainError(f"'{procedure}' is not a procedure; choose one of {known}") from None

    def transition(self, procedure: str, state: str, trigger: str) -> Transition:
        """The transition `trigger` fires from `state`, or a refusal saying why there is none."""
        workflow = self.workflow(procedure)
        candidates = workflow.transitions_for(trigger)
        if not candidates:
            known = ", ".join(workflow.triggers)
            raise DomainError(
                f"'{trigger}' is not a step of the {workflow.title} procedure; "
                f"its steps are {known}"
            )
        for candidate in candidates:
            if state in candidate.source:
                return candidate
        allowed = ", ".join(dict.fromkeys(s for c in candidates for s in c.source))
        raise DomainError(
            f"'{trigger}' cannot be done while the case is {_words(state)}; "
            f"it can be done when the case is {allowed.replace('_', ' ')}"
        )

    def check(
        self, procedure: str, state: str, trigger: str, role: str, facts: CaseFacts
    ) -> Transition:
        """The transition, if `role` may fire `trigger` now; otherwise a DomainError."""
        transition = self.transition(procedure, state, trigger)
        if role not in transition.roles:
            allowed = " or ".join(sorted(r.replace("_", " ") for r in transition.roles))
            raise AccessDeniedError(
                f"only a {allowed} can do '{trigger}'; you are a {role.replace('_', ' ')}"
            )
        for name in transition.conditions:
            refusal = CONDITIONS[name](facts)
            if refusal:
                raise DomainError(f"'{trigger}' refused: {refusal}")
        return transition

    def next_state(self, procedure: str, state: str, trigger: str) -> str:
        """Where the shared machine takes a case in `state` when `trigger` fires."""
        token = _Token(state)
        try:
            self._machines[procedure].events[trigger].trigger(token)
        except (MachineError, KeyError) as error:
            raise DomainError(
                f"'{trigger}' cannot be done while the case is {_words(state)}"
            ) from error
        return token.state

    def available(self, procedure: str, state: str, role: str) -> tuple[Transition, ...]:
        """What a person with `role` may fire on a case in `state` (conditions aside)."""
        workflow = self.workflow(procedure)
        machine = self._machines[procedure]
        triggers = set(machine.get_triggers(state))
        return tuple(
            transition
            for transition in workflow.transitions
            if transition.trigger in triggers
            and state in transition.source
            and role in transition.roles
        )

    def stage_of(self, procedure: str, state: str) -> int | None:
        return self.workflow(procedure).stages.get(state)


def _build_machine(workflow: Workflow) -> Machine:
    return Machine(
        model=None,
        states=list(workflow.states),
        initial=workflow.initial,
        transitions=[
            {
                "trigger": transition.trigger,
                "source": list(transition.source),
                "dest": transition.dest,
            }
            for transition in workflow.transitions
        ],
        auto_transitions=False,
        send_event=True,
    )


def _check_declaration(workflow: Workflow) -> None:
    """Catch a declaration mistake when the engine is built, not when a case trips over it."""
    known = set(workflow.states)
    for transition in workflow.transitions:
        where = f"{workflow.name}.{transition.trigger}"
        unknown = (set(transition.source) | {transition.dest or workflow.initial}) - known
        if unknown:
            raise ValueError(f"{where}: unknown states {unknown}")
        missing = set(transition.conditions) - set(CONDITIONS)
        if missing:
            raise ValueError(f"{where}: unknown conditions {missing}")
        _check_effects(workflow, transition, where)
    _check_deadlines(workflow)
    for trigger in workflow.triggers:
        sources = [s for t in workflow.transitions_for(trigger) for s in t.source]
        if len(sources) != len(set(sources)):
            raise ValueError(f"{workflow.name}.{trigger}: two transitions share a source state")


def _check_effects(workflow: Workflow, transition: Transition, where: str) -> None:
    unknown_effects = {str(effect) for effect in transition.effects} - set(Effect)
    if unknown_effects:
        raise ValueError(f"{where}: unknown effects {unknown_effects}")
    extending = Effect.EXTEND in transition.effects
    if extending != (transition.extends is not None):
        raise ValueError(f"{where}: the extend effect and `extends` go together")
    if transition.extends is not None:
        target = _declared(workflow, transition.extends, where)
        if not target.extendable:
            raise ValueError(f"{where}: {transition.extends} is not declared extendable")
        asks = any(spec.name == "complainant_agreed" for spec in transition.fields)
        if target.complainant_must_agree and not asks:
            raise ValueError(f"{where}: extending {target.name} needs the complainant_agreed field")
    worded = {name for text in transition.templates for name in description_deadlines(text)}
    if EXTENDED in worded and transition.extends is None:
        raise ValueError(f"{where}: its words name the deadline it extends, but it extends none")
    named = (*transition.starts, *transition.stops, *transition.cancels)
    for name in (*named, *sorted(worded - {EXTENDED})):
        _declared(workflow, name, where)


def _check_deadlines(workflow: Workflow) -> None:
    names = [deadline.name for deadline in workflow.deadlines]
    if len(names) != len(set(names)):
        raise ValueError(f"{workflow.name}: a deadline is declared twice")
    for name in workflow.starts_on_log:
        _declared(workflow, name, f"{workflow.name}.starts_on_log")
    for deadline in workflow.deadlines:
        if deadline.counts_from is Event.START and not workflow.started_by(deadline.name):
            raise ValueError(f"{workflow.name}: nothing starts {deadline.name}")
        if deadline.counts_back and not workflow.with_role(DeadlineRole.RESPONSE):
            raise ValueError(f"{workflow.name}: {deadline.name} counts back from no response")


def _declared(workflow: Workflow, name: str, where: str) -> Deadline:
    try:
        return workflow.deadline(name)
    except ValueError as error:
        raise ValueError(f"{where}: {error}") from None


def _words(state: str) -> str:
    return f"'{state.replace('_', ' ')}'"
