"""The procedures as data, one module each, and the engine that binds them to cases.

`WORKFLOWS` maps each procedure's name (the values of `complaints.models.Procedure`) to its
declaration.
"""

from workflows import adult_social_care, corporate, feedback, redirection, statutory_children
from workflows.definition import Workflow

WORKFLOWS: dict[str, Workflow] = {
    module.WORKFLOW.name: module.WORKFLOW
    for module in (statutory_children, corporate, adult_social_care, feedback, redirection)
}

__all__ = ["WORKFLOWS", "Workflow"]
