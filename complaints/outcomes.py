"""A stage's outcome, derived from the findings on its complaint points (docs/casework.md):
all upheld is upheld, none upheld is not upheld, anything between is partially upheld. Points
withdrawn or not investigated do not count, so reports can exclude them."""

from __future__ import annotations

from collections.abc import Iterable

from complaints.models.enums import Outcome

COUNTED = (Outcome.UPHELD, Outcome.PARTIALLY_UPHELD, Outcome.NOT_UPHELD)


def stage_outcome(findings: Iterable[Outcome]) -> Outcome | None:
    """The stage's outcome, or None when no point has a counted finding (all withdrawn, or none
    recorded yet)."""
    counted = [finding for finding in findings if finding in COUNTED]
    if not counted:
        return None
    if all(finding is Outcome.UPHELD for finding in counted):
        return Outcome.UPHELD
    if all(finding is Outcome.NOT_UPHELD for finding in counted):
        return Outcome.NOT_UPHELD
    return Outcome.PARTIALLY_UPHELD
