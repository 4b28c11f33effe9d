"""Who the council is (printed on letters and pages) and the lists its officers choose from."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, Strict, ValidationInfo, field_validator
from pydantic.dataclasses import dataclass

from complaints.settings.values import (
    SECTION,
    ChoiceList,
    EmailAddress,
    FilledText,
    Text,
    reading_file,
)


@dataclass(frozen=True, config=SECTION)
class CouncilSettings:
    """The council's details, printed on letters and pages."""

    name: FilledText
    address: tuple[Text, ...]
    email: EmailAddress
    phone: Text
    website: Text
    logo: Text
    """Absolute path of the logo image, or "" for no logo (the file's relative path is read from
    the file's folder)."""
    reference_prefix: Annotated[
        str,
        Strict(),
        Field(pattern=r"^[A-Za-z0-9]{1,6}$", description="1 to 6 letters or digits (e.g. 'CF')"),
    ]
    accessibility_line: Text
    complaints_office: Text = ""
    """The service area whose staff run the complaints process council-wide (they triage, so
    they see every case); "" when only staff with no team do."""

    @field_validator("logo")
    @classmethod
    def _from_the_files_folder(cls, logo: str, info: ValidationInfo) -> str:
        file = reading_file(info)
        return str(file.folder / logo) if file and logo else logo


@dataclass(frozen=True, config=SECTION)
class ListSettings:
    """The choice lists officers pick from."""

    service_areas: ChoiceList
    categories: ChoiceList
    contact_methods: ChoiceList
