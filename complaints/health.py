"""Is the product healthy? The database answers, its schema is the one this version needs, and a
scheduler holds the lease (so deadlines are being swept). What a load balancer or a monitoring
check asks through the web's /health."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from complaints.context import Context
from complaints.db import current_revision, head_revision
from complaints.models import SchedulerLease, table_of

_LEASE = table_of(SchedulerLease)


@dataclass(frozen=True)
class Health:
    database: str  # "ok" or what is wrong
    schema: str | None
    scheduler_holder: str | None
    scheduler_lease_until: datetime | None

    @property
    def healthy(self) -> bool:
        return self.database == "ok" and self.schema == head_revision()

    def as_json(self) -> dict[str, object]:
        return {
            "status": "ok" if self.healthy else "unhealthy",
            "database": self.database,
            "schema": self.schema,
            "schema_expected": head_revision(),
            "scheduler": {
                "holder": self.scheduler_holder,
                "lease_until": self.scheduler_lease_until.isoformat()
                if self.scheduler_lease_until
                else None,
            },
        }


def check_health(ctx: Context) -> Health:
    """The product's health; never raises."""
    try:
        schema = current_revision(ctx.database)
        with ctx.database.engine.connect() as connection:
            lease = connection.execute(
                sa.select(_LEASE.c.holder, _LEASE.c.expires_at).limit(1)
            ).first()
    except SQLAlchemyError as error:
        return Health(f"unreachable: {error.__class__.__name__}", None, None, None)
    holder, until = (lease[0], lease[1]) if lease else (None, None)
    return Health("ok", schema, holder, until)
