"""Mermaid state diagrams of the workflows, drawn from their declarations."""

from __future__ import annotations

from workflows.definition import Workflow

# Shown once as a note rather than as an arrow from every open state.
EVERYWHERE = ("withdraw", "hold", "resume", "escalate_to_lgsco")


def mermaid(workflow: Workflow) -> str:
    """The workflow as a Mermaid `stateDiagram-v2`: each state change is an arrow labelled with
    its trigger; steps that keep the case in its state are loops."""
    lines = ["stateDiagram-v2", f"    %% {workflow.title}"]
    lines.append(f"    [*] --> {workflow.initial}: log")
    for transition in workflow.transitions:
        if transition.trigger in EVERYWHERE:
            continue
        for source in transition.source:
            lines.append(f"    {source} --> {transition.dest or source}: {transition.trigger}")
    lines.extend(f"    {state} --> [*]" for state in sorted(workflow.final_states))
    if "withdrawn" in workflow.states:
        lines.append(
            "    note right of withdrawn: withdraw, hold, resume and escalate_to_lgsco\\n"
            "are possible from every open state"
        )
    return "\n".join(lines) + "\n"
