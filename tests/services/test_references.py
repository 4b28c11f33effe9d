"""Case references: CF-2026-000123, numbered per year, never shared even when logged at once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from complaints.context import Context
from complaints.services.references import reserve_references


def take(ctx: Context, year: int, count: int = 1) -> list[str]:
    with ctx.database.unit_of_work() as session:
        return reserve_references(session, "CF", year, count)


def test_references_count_up_within_a_year_and_restart_each_year(ctx: Context) -> None:
    assert take(ctx, 2026) == ["CF-2026-000001"]
    assert take(ctx, 2026, 2) == ["CF-2026-000002", "CF-2026-000003"]
    assert take(ctx, 2027) == ["CF-2027-000001"]


def test_a_rolled_back_reservation_gives_its_numbers_back(ctx: Context) -> None:
    try:
        with ctx.database.unit_of_work() as session:
            reserve_references(session, "CF", 2026, 5)
            raise RuntimeError("the case was refused")
    except RuntimeError:
        pass
    assert take(ctx, 2026) == ["CF-2026-000001"]


def test_references_taken_at_the_same_time_are_all_different(ctx: Context) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        batches = list(pool.map(lambda _: take(ctx, 2026), range(40)))
    references = [reference for batch in batches for reference in batch]
    assert len(set(references)) == 40
    assert max(references) == "CF-2026-000040"
