"""The stage outcome derived from the findings on its points."""

from __future__ import annotations

import pytest

from complaints.models import Outcome
from complaints.outcomes import stage_outcome

U, P, N, W, X = (
    Outcome.UPHELD,
    Outcome.PARTIALLY_UPHELD,
    Outcome.NOT_UPHELD,
    Outcome.WITHDRAWN,
    Outcome.NOT_INVESTIGATED,
)


@pytest.mark.parametrize(
    ("findings", "outcome"),
    [
        ([U, U], U),
        ([N, N, N], N),
        ([U, N], P),
        ([P], P),
        ([U, P], P),
        ([N, P], P),
        ([U, W], U),
        ([N, X], N),
        ([W, X], None),
        ([], None),
    ],
)
def test_the_stage_outcome_follows_from_the_points(
    findings: list[Outcome], outcome: Outcome | None
) -> None:
    assert stage_outcome(findings) is outcome
