"""The forms of a case's letters (web/letters.py): choosing the letter to write, and moving one
through quality assurance (approving the exact letter read, returning it with comments)."""

from __future__ import annotations

from collections.abc import Iterable

from web.forms.base import CaseChangeForm
from web.forms.fields import ChoiceField, TextField, worded

COMMENTS_LIMIT = 5_000
DIGEST_LIMIT = 64


class ChooseLetterForm(CaseChangeForm):
    template = ChoiceField(
        "Which letter?",
        "the letter",
        description="Responses (which need a manager's sign-off) come first.",
    )

    def __init__(self, templates: Iterable[str], *, query: bool = False) -> None:
        super().__init__(query=query)
        self.template.choices = worded(templates)


class LetterMoveForm(CaseChangeForm):
    """Submitting, approving, returning or sending a letter: approving says which letter was
    read (its digest), returning says what the author needs to change."""

    seen = TextField("The letter you read", "the letter you read", required=False,
                     limit=DIGEST_LIMIT)  # fmt: skip
    comments = TextField(
        "Return it with comments",
        "what the author needs to change",
        required=False,
        limit=COMMENTS_LIMIT,
        description="What the author needs to change",
    )

    def __init__(self, move: str = "") -> None:
        super().__init__()
        self.comments.required = move == "return"
