"""The vocabulary workflows are declared in: states, transitions, the fields a transition must
record, and the timers it starts and stops. Plain frozen data, no behaviour: the engine
(`workflows.engine`) binds it to cases.

Role names are the values of `complaints.models.Role`; deadline names are the step names of the
procedure's `[timescales]` in config.toml, where their lengths live.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class FieldKind(StrEnum):
    TEXT = "text"
    DATE = "date"
    BOOLEAN = "boolean"
    CHOICE = "choice"
    USER = "user"
    WHOLE_NUMBER = "whole_number"


@dataclass(frozen=True)
class FieldSpec:
    """A value a transition records, given as `--set name=value` or a form field."""

    name: str
    kind: FieldKind
    label: str
    required: bool = True
    choices: tuple[str, ...] = ()
    # The most characters a text takes when its column is narrower than any text's 10,000.
    max_length: int | None = None


@dataclass(frozen=True)
class TimerStart:
    """A deadline a transition starts. Its length and the event it counts from come from
    config.toml; `relative_to` names the deadline whose due date is that event when the step
    counts from "response_due" (QA sign-off falls before the response it serves)."""

    deadline: str
    relative_to: str | None = None


@dataclass(frozen=True)
class Transition:
    """One trigger from a set of states: who may fire it, what it records, which timers it
    starts and stops, and the letter it sends."""

    trigger: str
    source: tuple[str, ...]
    dest: str | None  # None: the case stays in its state (an internal transition)
    roles: frozenset[str]
    description: str
    fields: tuple[FieldSpec, ...] = ()
    starts: tuple[TimerStart, ...] = ()
    stops: tuple[str, ...] = ()
    # Timers that end unanswered (the complainant moved on before the step was done): they
    # count in no timeliness figure.
    cancels: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    letter: str | None = None
    stage: int | None = None  # the stage the case is at after this transition, if it changes
    extends: str | None = None  # the deadline an extension moves
    stops_all: bool = False  # stop every running timer (closing the case)
    cancels_all: bool = False  # cancel every running timer (withdrawal)
    pauses: bool = False  # put every running timer on hold
    resumes: bool = False  # restart every paused timer

    @property
    def internal(self) -> bool:
        return self.dest is None


@dataclass(frozen=True)
class Workflow:
    """A procedure as a state machine: its states, where a case starts, its transitions."""

    name: str
    title: str
    states: tuple[str, ...]
    final_states: frozenset[str]
    transitions: tuple[Transition, ...]
    initial: str = "received"
    starts_on_log: tuple[TimerStart, ...] = ()
    stages: dict[str, int] = field(default_factory=dict)  # state -> the stage it belongs to

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
        if any(timer.deadline == deadline for timer in self.starts_on_log):
            return frozenset()
        moves = [
            (transition.source, transition.dest)
            for transition in self.transitions
            if transition.dest and all(timer.deadline != deadline for timer in transition.starts)
        ]
        reached, waiting = {self.initial}, [self.initial]
        while waiting:
            state = waiting.pop()
            for sources, dest in moves:
                if state in sources and dest not in reached:
                    reached.add(dest)
                    waiting.append(dest)
        return frozenset(reached)


def states(*names: str) -> tuple[str, ...]:
    return names


def roles(*names: str) -> frozenset[str]:
    return frozenset(names)


def every(*groups: Iterable[str]) -> tuple[str, ...]:
    """The states of several groups, in order, without repeats."""
    return tuple(dict.fromkeys(state for group in groups for state in group))
