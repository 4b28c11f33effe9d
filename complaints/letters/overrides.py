"""Which wording of a letter template is in force: the newest version an administrator saved in
the database, else the file of the same name in the folder `[letters] override_folder` names,
else the template shipped in `letter_templates/`. A database version without text (a revert)
gives way to the folder or the shipped template.

Names are the shipped templates' (`stage1_response`, `child/stage1_response`); the layout and
the shared parts (`layout`, `_findings`...) are not overridden, but a council's wording may
extend and include them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, col, select

from complaints.config import Settings
from complaints.errors import DomainError, NotFoundError
from complaints.letters.environment import LETTER_TEMPLATES, SUFFIX, check_wording, letter_names
from complaints.models import LetterTemplateVersion

SHIPPED, FOLDER, DATABASE = "shipped", "folder", "database"


@dataclass(frozen=True)
class TemplateSource:
    """One template's wording in force: where it comes from, and the text if it is not the
    shipped template's."""

    name: str
    origin: str
    text: str | None
    version: int | None = None


def template_names() -> tuple[str, ...]:
    """Every letter template a council may reword, the child-friendly variants after the rest."""
    children = sorted(
        f"child/{path.name.removesuffix(SUFFIX)}"
        for path in (LETTER_TEMPLATES / "child").glob(f"*{SUFFIX}")
        if not path.name.startswith("_")
    )
    return (*letter_names(), *children)


def check_template_name(name: str) -> str:
    """`name` if it is a letter template a council may reword, else a refusal listing them."""
    names = template_names()
    if name not in names:
        raise NotFoundError(
            f"there is no letter template called '{name}'; the templates are {', '.join(names)}"
        )
    return name


def shipped_text(name: str) -> str:
    return (LETTER_TEMPLATES / f"{name}{SUFFIX}").read_text(encoding="utf-8")


def source_in_session(session: Session, settings: Settings, name: str) -> TemplateSource:
    """The wording of template `name` a letter drafted now uses."""
    newest = newest_version(session, name)
    if newest is not None and newest.text is not None:
        return TemplateSource(name, DATABASE, newest.text, newest.version)
    return source_without_database(settings, name)


def source_without_database(settings: Settings, name: str) -> TemplateSource:
    """The folder's wording of `name` if the folder has it, else the shipped template."""
    folder = settings.letters.override_folder
    path = Path(folder) / f"{name}{SUFFIX}" if folder else None
    if path is None or not path.is_file():
        return TemplateSource(name, SHIPPED, None)
    text = path.read_text(encoding="utf-8")
    try:
        check_wording(text)
    except DomainError as error:
        raise DomainError(f"{path}: {error}") from None
    return TemplateSource(name, FOLDER, text)


def newest_version(session: Session, name: str) -> LetterTemplateVersion | None:
    return session.exec(
        select(LetterTemplateVersion)
        .where(LetterTemplateVersion.name == name)
        .order_by(col(LetterTemplateVersion.version).desc())
    ).first()
