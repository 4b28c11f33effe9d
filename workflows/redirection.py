"""Questions and matters outside the complaints process (school governors, courts, police, NHS):
answered or redirected with a letter saying where to go, never counted as complaints."""

from __future__ import annotations

from workflows.common import OFFICE, common_transitions
from workflows.definition import FieldKind, FieldSpec, Transition, Workflow

WORKFLOW = Workflow(
    name="redirection",
    title="Questions and matters outside the complaints process",
    short_label="Outside the complaints process",
    redirects=True,
    feedback_types=frozenset({"question"}),
    states=("received", "redirected", "withdrawn"),
    final_states=frozenset({"redirected", "withdrawn"}),
    transitions=(
        Transition(
            "redirect",
            ("received",),
            "redirected",
            OFFICE,
            "Answer the question, or tell the sender where to take the matter.",
            fields=(FieldSpec("redirected_to", FieldKind.TEXT, "Where the matter belongs"),),
            letter="redirection",
        ),
        *common_transitions(("received",), closed_states=("redirected",)),
    ),
    stages={"received": 0},
)
