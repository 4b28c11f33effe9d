"""The subject categories a case is filed under (docs/casework.md, feedback and triage)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, delete, func, select

from complaints.errors import DomainError
from complaints.models import CaseCategory, Category, FeedbackCase


def set_categories(session: Session, case: FeedbackCase, names: Iterable[str]) -> list[str]:
    """Replace the case's subject categories with `names` (each must be a known category)."""
    wanted = list(dict.fromkeys(name.strip() for name in names if name.strip()))
    found = {
        category.name.casefold(): category
        for category in session.exec(
            select(Category).where(func.lower(Category.name).in_([n.casefold() for n in wanted]))
        ).all()
    }
    unknown = [name for name in wanted if name.casefold() not in found]
    if unknown:
        raise DomainError(f"unknown categories: {', '.join(unknown)}; an administrator adds them")
    session.exec(delete(CaseCategory).where(col(CaseCategory.case_id) == case.id))
    assert case.id is not None
    for name in wanted:
        category = found[name.casefold()]
        assert category.id is not None
        session.add(CaseCategory(case_id=case.id, category_id=category.id))
    return [found[name.casefold()].name for name in wanted]
