"""The vocabulary workflows are declared in: states, transitions, the fields a transition must
record, the deadlines of a procedure and what starts, stops and extends them, and the effects a
transition has. Plain frozen data, no behaviour: the engine (`workflows.engine`) binds it to
cases and the services (`complaints.services.effects`) carry the effects out.

Role names are the values of `complaints.models.Role`. Each deadline is declared once, in its
workflow, with everything about it except its numbers: those (length, unit, maximum extension)
are the council's, in the procedure's `[timescales]` of config.toml under the deadline's name.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class FieldKind(StrEnum):
    TEXT = "text"
    DATE = "date"
    BOOLEAN = "boolean"
    CHOICE = "choice"
    USER = "user"
    WHOLE_NUMBER = "whole_number"


# In the words of a step (its description, its fields' labels and hints), the timescale of the
# deadline the step extends: "{extended.unit}" is its unit ("working days"), "{extended.extra}"
# the most it may be extended by.
EXTENDED = "extended"


@dataclass(frozen=True)
class FieldSpec:
    """A value a transition records, given as `--set name=value` or a form field. Its label and
    hint are templates, as a transition's description is (`Transition.fill`)."""

    name: str
    kind: FieldKind
    label: str
    required: bool = True
    choices: tuple[str, ...] = ()
    # The most characters a text takes when its column is narrower than any text's 10,000.
    max_length: int | None = None
    hint: str = ""


class DeadlineRole(StrEnum):
    """What a deadline measures; the rest of the product finds deadlines by their role."""

    TIME_LIMIT = "time_limit"  # how long after the matter a complaint may be made
    ACKNOWLEDGEMENT = "acknowledgement"
    FIRST_CONTACT = "first_contact"  # the investigator's first contact with the complainant
    QA_SIGNOFF = "qa_signoff"  # the draft response signed off before the response is due
    RESPONSE = "response"  # a stage's answer to the complainant
    ADJUDICATION = "adjudication"  # the council's answer to an investigation's report
    REQUEST_WINDOW = "request_window"  # how long the complainant has to ask for the next stage
    PANEL_MEETING = "panel_meeting"
    PANEL_REPORT = "panel_report"


# The roles whose stop answers the complainant at a stage: what timeliness measures.
ANSWERS = frozenset({DeadlineRole.RESPONSE, DeadlineRole.ADJUDICATION})


class Event(StrEnum):
    """The day a deadline counts from (its Day 0)."""

    MATTER = "matter"  # the date of the matter complained about (the day received if unknown)
    RECEIPT = "receipt"  # the day the complaint was received
    START = "start"  # the day of the step that starts it (see `Workflow.started_by`)
    RESPONSE_DUE = "response_due"  # the due date of the stage's response, counted back from


class Effect(StrEnum):
    """What a transition does besides moving the case and starting and stopping the deadlines it
    names; `complaints.services.effects` carries each out."""

    ALLOCATE = "allocate"  # name the investigator, who takes over every deadline but its
    # acknowledgement
    EXTEND = "extend"  # move the deadline named by the transition's `extends`
    AGREE_RESPONSE_DATE = "agree_response_date"  # a response date agreed with the complainant
    ESCALATE = "escalate"  # record the request for the next stage
    RECORD_OMBUDSMAN_ENQUIRY = "record_ombudsman_enquiry"
    REQUEST_INFORMATION = "request_information"
    HOLD = "hold"  # pause every running deadline
    RESUME = "resume"  # restart the paused deadlines
    STOP_ALL = "stop_all"  # stop every open deadline (closing the case)
    CANCEL_ALL = "cancel_all"  # cancel every open deadline (withdrawal)


@dataclass(frozen=True)
class Deadline:
    """One deadline of a procedure, declared once. Its name is the step name of the procedure's
    `[timescales]` in config.toml; the transitions that start, stop and extend it name it."""

    name: str
    role: DeadlineRole
    counts_from: Event = Event.START
    # The stage the deadline belongs to; None for steps every stage has (first contact, QA).
    stage: int | None = None
    extendable: bool = False
    # An extension needs the complainant's written agreement (recorded on the extension).
    complainant_must_agree: bool = False
    # May be counted in calendar months (the year to complain, a response period of months).
    months_allowed: bool = False
    label: str = ""  # how people say it, when not the name in words

    @property
    def counts_back(self) -> bool:
        """Whether the deadline falls before its event rather than after it."""
        return self.counts_from is Event.RESPONSE_DUE


@dataclass(frozen=True)
class Transition:
    """One trigger from a set of states: who may fire it, what it records, which timers it
    starts and stops, and the letter it sends."""

    trigger: str
    source: tuple[str, ...]
    dest: str | None  # None: the case stays in its state (an internal transition)
    roles: frozenset[str]
    # A template: "{stage1_response}" is that deadline's timescale in words as the council set
    # it, "{stage1_response.most}" its length with the most it may be extended (`describe`).
    description: str
    fields: tuple[FieldSpec, ...] = ()
    starts: tuple[str, ...] = ()
    stops: tuple[str, ...] = ()
    # Timers that end unanswered (the complainant moved on before the step was done): they
    # count in no timeliness figure.
    cancels: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    letter: str | None = None
    stage: int | None = None  # the stage the case is at after this transition, if it changes
    extends: str | None = None  # the deadline the EXTEND effect moves
    effects: tuple[Effect, ...] = ()

    @property
    def internal(self) -> bool:
        return self.dest is None

    def describe(self, timescales: Mapping[str, Any]) -> str:
        """The description with each deadline's timescale filled in from `timescales` (deadline
        name -> its timescale in words, e.g. `complaints.deadlines.timescale_words`)."""
        return self.fill(self.description, timescales)

    def fill(self, template: str, timescales: Mapping[str, Any]) -> str:
        """`template` (the description, or a field's label or hint) with each deadline's
        timescale filled in from `timescales`, and `EXTENDED` standing for the deadline the step
        extends."""
        if self.extends is not None:
            timescales = {**timescales, EXTENDED: timescales[self.extends]}
        return template.format_map(timescales)

    @property
    def templates(self) -> tuple[str, ...]:
        """Its words that name timescales: the description, each field's label and hint."""
        return (self.description, *(t for f in self.fields for t in (f.label, f.hint)))


def description_deadlines(description: str) -> tuple[str, ...]:
    """The deadlines a description template names (`EXTENDED` among them, if it does)."""
    return tuple(
        name.split(".")[0]
        for _, name, _, _ in string.Formatter().parse(description)
        if name is not None
    )


@dataclass(frozen=True)
class Workflow:
    """A procedure as a state machine: its states, where a case starts, its transitions, and its
    deadlines."""

    name: str
    title: str
    states: tuple[str, ...]
    final_states: frozenset[str]
    transitions: tuple[Transition, ...]
    initial: str = "received"
    starts_on_log: tuple[str, ...] = ()
    stages: dict[str, int] = field(default_factory=dict)  # state -> the stage it belongs to
    deadlines: tuple[Deadline, ...] = ()
    short_label: str = ""  # the procedure's name in reports' columns and filters
    # Its cases are matters outside the complaints process: reports count them as redirected.
    redirects: bool = False
    # The types of feedback (values of `complaints.models.FeedbackType`) it takes.
    feedback_types: frozenset[str] = frozenset({"complaint"})
    # The subject of the public form whose complaints follow it ("" for none).
    public_subject: str = ""
    # Feedback e-mailed in follows it until an officer triages it.
    takes_email: bool = False

    def deadline(self, name: str) -> Deadline:
        """The declaration of deadline `name`; ValueError for a name the procedure lacks."""
        for deadline in self.deadlines:
            if deadline.name == name:
                return deadline
        known = ", ".join(d.name for d in self.deadlines) or "none"
        raise ValueError(f"{self.name} has no deadline {name!r}; its deadlines are {known}")

    def with_role(self, *wanted: DeadlineRole, stage: int | None = None) -> tuple[str, ...]:
        """The names of the deadlines with one of the roles `wanted` (at `stage`, if given)."""
        return tuple(
            deadline.name
            for deadline in self.deadlines
            if deadline.role in wanted and (stage is None or deadline.stage == stage)
        )

    def response_deadline(self, stage: int) -> str | None:
        """The deadline whose stop is the stage's response to the complainant, if it has one."""
        return next(iter(self.with_role(DeadlineRole.RESPONSE, stage=stage)), None)

    def request_window(self, stage: int) -> str | None:
        """The deadline by which the complainant may ask for the stage after `stage`."""
        return next(iter(self.with_role(DeadlineRole.REQUEST_WINDOW, stage=stage)), None)

    def next_stage(self, stage: int) -> int | None:
        """The stage a complainant may ask for after `stage` (a step escalating from one of its
        states), or None after the last (the Ombudsman is next)."""
        return next(
            (
                transition.stage
                for transition in self.transitions
                if Effect.ESCALATE in transition.effects
                and transition.stage is not None
                and transition.stage > stage
                and any(self.stages.get(state) == stage for state in transition.source)
            ),
            None,
        )

    def agrees_date(self, deadline: str) -> bool:
        """Whether `deadline`'s date may be agreed with the complainant when it starts."""
        return any(
            Effect.AGREE_RESPONSE_DATE in transition.effects and deadline in transition.starts
            for transition in self.transitions
        )

    @property
    def extendable(self) -> tuple[str, ...]:
        return tuple(deadline.name for deadline in self.deadlines if deadline.extendable)

    def started_by(self, deadline: str) -> tuple[str, ...]:
        """The steps that start `deadline` ("log" when logging the case does)."""
        starters = ("log",) if deadline in self.starts_on_log else ()
        return starters + tuple(
            dict.fromkeys(t.trigger for t in self.transitions if deadline in t.starts)
        )

    def stopped_by(self, deadline: str) -> tuple[str, ...]:
        """The steps that stop `deadline`: those naming it, and those that stop every deadline."""
        return tuple(
            dict.fromkeys(
                t.trigger
                for t in self.transitions
                if deadline in t.stops or Effect.STOP_ALL in t.effects
            )
        )

    @property
    def open_states(self) -> tuple[str, ...]:
        return tuple(state for state in self.states if state not in self.final_states)

    def transitions_for(self, trigger: str) -> tuple[Transition, ...]:
        return tuple(transition for transition in self.transitions if transition.trigger == trigger)

    @property
    def triggers(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(transition.trigger for transition in self.transitions))

    def states_before(self, deadline: str) -> frozenset[str]:
        """The states a case can be in before the timer `deadline` has started: those reached
        from `initial` without a transition that starts it (none if logging starts it)."""
        if deadline in self.starts_on_log:
            return frozenset()
        moves = [
            (transition.source, transition.dest)
            for transition in self.transitions
            if transition.dest and deadline not in transition.starts
        ]
        reached, waiting = {self.initial}, [self.initial]
        while waiting:
            state = waiting.pop()
            for sources, dest in moves:
                if state in sources and dest not in reached:
                    reached.add(dest)
                    waiting.append(dest)
        return frozenset(reached)


def deadlines_with_role(workflows: Iterable[Workflow], *wanted: DeadlineRole) -> frozenset[str]:
    """The names of the deadlines with one of the roles `wanted`, in any of `workflows`."""
    return frozenset(name for workflow in workflows for name in workflow.with_role(*wanted))


def states(*names: str) -> tuple[str, ...]:
    return names


def roles(*names: str) -> frozenset[str]:
    return frozenset(names)


def every(*groups: Iterable[str]) -> tuple[str, ...]:
    """The states of several groups, in order, without repeats."""
    return tuple(dict.fromkeys(state for group in groups for state in group))
