"""Compliments and comments: received, acknowledged (the compliment passed on), closed."""

from __future__ import annotations

from workflows.common import OFFICE, common_transitions
from workflows.definition import Transition, Workflow

WORKFLOW = Workflow(
    name="feedback",
    title="Compliments and comments",
    short_label="Compliments and comments",
    feedback_types=frozenset({"compliment", "comment"}),
    states=("received", "closed", "withdrawn"),
    final_states=frozenset({"closed", "withdrawn"}),
    transitions=(
        Transition(
            "acknowledge",
            ("received",),
            "closed",
            OFFICE,
            "Thank the sender and pass the compliment or comment to the service.",
            letter="compliment_acknowledgement",
        ),
        *common_transitions(("received",)),
    ),
    stages={"received": 0},
)
