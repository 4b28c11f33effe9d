"""The demo council's staff: an administrator, managers, QA practitioners and officers."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from complaints.context import Context
from complaints.models import Role, Team, User
from complaints.passwords import hash_password
from complaints.services.people import add_user

DEMO_PASSWORD = "demo-password-2026"


@dataclass(frozen=True)
class DemoPerson:
    username: str
    full_name: str
    role: Role
    team: str | None


DEMO_STAFF = (
    DemoPerson("admin", "Alex Morgan", Role.ADMIN, None),
    DemoPerson("cmanager", "Catherine Shaw", Role.MANAGER, "Customer Service"),
    DemoPerson("cfmanager", "Dev Sharma", Role.MANAGER, "Children and Families"),
    DemoPerson("ascmanager", "Helen Barker", Role.MANAGER, "Adult Social Care"),
    DemoPerson("qa.jones", "Rebecca Jones", Role.QA_PRACTITIONER, "Children and Families"),
    DemoPerson("qa.okafor", "Samuel Okafor", Role.QA_PRACTITIONER, "Children and Families"),
    DemoPerson("qa.wright", "Emma Wright", Role.QA_PRACTITIONER, "Children with Disabilities"),
    DemoPerson("officer.patel", "Anjali Patel", Role.OFFICER, "Customer Service"),
    DemoPerson("officer.hughes", "Tom Hughes", Role.OFFICER, "Customer Service"),
    DemoPerson("officer.evans", "Megan Evans", Role.OFFICER, "Highways"),
    DemoPerson("officer.nowak", "Piotr Nowak", Role.OFFICER, "Waste and Recycling"),
    DemoPerson("officer.clarke", "Joanne Clarke", Role.OFFICER, "Adult Social Care"),
    DemoPerson("officer.ahmed", "Bilal Ahmed", Role.OFFICER, "Council Tax and Benefits"),
)


def ensure_demo_staff(ctx: Context) -> list[User]:
    """Create each demo person who does not exist yet (teams missing from config are skipped)."""
    with ctx.database.reader() as session:
        teams = set(session.exec(select(Team.name)).all())
        existing = set(session.exec(select(User.username)).all())
    # Everyone shares the demo password, so it is hashed once (Argon2 is slow on purpose).
    password_hash = hash_password(DEMO_PASSWORD)
    for person in DEMO_STAFF:
        if person.username in existing:
            continue
        add_user(
            ctx,
            person.username,
            role=person.role.value,
            full_name=person.full_name,
            team=person.team if person.team in teams else None,
            email=f"{person.username}@example.gov.uk",
            password_hash=password_hash,
        )
    with ctx.database.reader() as session:
        return list(session.exec(select(User).order_by(User.username)).all())
