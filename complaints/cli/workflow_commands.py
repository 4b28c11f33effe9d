"""`complaints workflow`: what each procedure's workflow is, as a table, JSON or a diagram."""

from __future__ import annotations

import json

import click

from complaints.context import shared_engine
from workflows.definition import Transition, Workflow
from workflows.diagrams import mermaid


@click.group()
def workflow() -> None:
    """The procedures' workflows."""


@workflow.command("show")
@click.argument("procedure")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def workflow_show(procedure: str, as_json: bool) -> None:
    """Every state and trigger of PROCEDURE: sources, destination, roles, fields and timers."""
    declared = shared_engine().workflow(procedure)
    if as_json:
        click.echo(json.dumps(describe(declared)))
        return
    click.echo(f"{declared.title} ({declared.name})")
    click.echo(f"States: {', '.join(declared.states)}")
    on_log = ", ".join(timer.deadline for timer in declared.starts_on_log) or "none"
    click.echo(f"Timers started on logging: {on_log}")
    for transition in declared.transitions:
        click.echo("")
        click.echo("\n".join(_transition_lines(transition)))


@workflow.command("diagram")
@click.argument("procedure")
def workflow_diagram(procedure: str) -> None:
    """PROCEDURE's workflow as a Mermaid state diagram."""
    click.echo(mermaid(shared_engine().workflow(procedure)), nl=False)


def _transition_lines(transition: Transition) -> list[str]:
    dest = transition.dest or "(same state)"
    lines = [
        f"{transition.trigger}: {', '.join(transition.source)} -> {dest}",
        f"  {transition.description}",
        f"  roles: {', '.join(sorted(transition.roles))}",
    ]
    fields = [f.name + ("" if f.required else " (optional)") for f in transition.fields]
    for label, items in (
        ("fields", fields),
        ("starts", [timer.deadline for timer in transition.starts]),
        ("stops", _stops(transition)),
        ("conditions", list(transition.conditions)),
    ):
        if items:
            lines.append(f"  {label}: {', '.join(items)}")
    if transition.extends:
        lines.append(f"  extends: {transition.extends}")
    if transition.letter:
        lines.append(f"  letter: {transition.letter}")
    return lines


def _stops(transition: Transition) -> list[str]:
    stops = list(transition.stops) + [f"{name} (cancelled)" for name in transition.cancels]
    if transition.stops_all:
        stops.append("all running timers")
    if transition.cancels_all:
        stops.append("all running timers (cancelled)")
    if transition.pauses:
        stops.append("all running timers (paused)")
    return stops


def describe(declared: Workflow) -> dict[str, object]:
    return {
        "procedure": declared.name,
        "title": declared.title,
        "states": list(declared.states),
        "initial": declared.initial,
        "final_states": sorted(declared.final_states),
        "starts_on_log": [timer.deadline for timer in declared.starts_on_log],
        "transitions": [_describe_transition(t) for t in declared.transitions],
    }


def _describe_transition(transition: Transition) -> dict[str, object]:
    return {
        "trigger": transition.trigger,
        "source": list(transition.source),
        "dest": transition.dest or "(same state)",
        "roles": sorted(transition.roles),
        "fields": [
            {
                "name": f.name,
                "kind": f.kind.value,
                "required": f.required,
                "choices": list(f.choices),
            }
            for f in transition.fields
        ],
        "starts": [timer.deadline for timer in transition.starts],
        "stops": _stops(transition),
        "extends": transition.extends,
        "pauses": transition.pauses,
        "resumes": transition.resumes,
        "conditions": list(transition.conditions),
        "letter": transition.letter,
    }
