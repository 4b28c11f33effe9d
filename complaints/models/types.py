"""Column types shared by the models: UTC moments, enum-as-string, money; and the largest id
any table can hold."""

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """A moment stored in UTC and always read back timezone-aware (SQLite keeps no zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("moments must be timezone-aware; use the clock, not datetime.now()")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def enum_type(enum_class: type[StrEnum]) -> sa.Enum:
    """A VARCHAR column holding an enum's values, checked on the way in and out."""
    return sa.Enum(
        enum_class,
        native_enum=False,
        create_constraint=False,
        length=40,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


# Money: up to 9,999,999,999.99 (12 digits, 2 of them after the point).
MONEY_DIGITS, MONEY_PLACES = 12, 2
MONEY = sa.Numeric(MONEY_DIGITS, MONEY_PLACES)
# Every id column is an INTEGER, which PostgreSQL keeps in 32 bits.
LARGEST_RECORD_ID = 2**31 - 1
JSON_DOCUMENT: Any = sa.JSON().with_variant(JSONB(), "postgresql")
