"""How long a case's timer may be paused, and how long a closed case keeps personal data."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field
from pydantic.dataclasses import dataclass

from complaints.settings.values import SECTION, WholeNumber


@dataclass(frozen=True, config=SECTION)
class HoldSettings:
    """How long a case's timer may be paused."""

    max_working_days: Annotated[WholeNumber, Field(ge=1)]


@dataclass(frozen=True, config=SECTION)
class RetentionSettings:
    """How long a closed case keeps the complainant's personal data."""

    years_after_closure: Annotated[WholeNumber, Field(ge=1, le=100)] = 6
