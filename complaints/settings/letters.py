"""Where the council keeps its own wording of letter templates, if it does."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationInfo, field_validator
from pydantic.dataclasses import dataclass

from complaints.settings.values import SECTION, Text, reading_file, refusal


@dataclass(frozen=True, config=SECTION)
class LetterSettings:
    """Where the council keeps its own wording of letter templates, if it does."""

    override_folder: Text = ""
    """Absolute path of a folder of templates (`stage1_response.html.j2`,
    `child/stage1_response.html.j2`...) used instead of the shipped ones, or "" for none; the
    file's relative path is read from the file's folder."""

    @field_validator("override_folder")
    @classmethod
    def _a_folder(cls, folder: str, info: ValidationInfo) -> str:
        if not folder:
            return folder
        file = reading_file(info)
        path = file.folder / folder if file else Path(folder)
        if not path.is_dir():
            raise refusal(f": {str(path)!r} is not a folder")
        return str(path)
