"""What every use case needs to run: the settings, the database, the calendar and the clock.

Built once at start-up (by the CLI, the web app factory or a test fixture) and passed down;
nothing in the product reads configuration, the time or the database from a global.

The database layer and the workflow engine are imported when first used, so a command that
needs neither (a working-day sum) does not wait for them.
"""

from __future__ import annotations

from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from complaints.calendar import WorkingCalendar
from complaints.clock import Clock, SystemClock
from complaints.config import Settings, load_settings

if TYPE_CHECKING:
    from complaints.db import Database
    from workflows.engine import WorkflowEngine


@cache
def shared_engine() -> WorkflowEngine:
    """The workflow engine: its machines are built once per process and shared by every case."""
    from workflows.engine import WorkflowEngine

    return WorkflowEngine()


class Context:
    """The running product's collaborators, each injectable for tests.

    The database and the calendar are made when first used, so a command that needs neither
    (printing a working-day sum, say) touches no database.
    """

    def __init__(
        self,
        settings: Settings,
        clock: Clock | None = None,
        database: Database | None = None,
        engine: WorkflowEngine | None = None,
    ) -> None:
        self.settings = settings
        self.clock: Clock = clock or SystemClock(settings.calendar.timezone)
        if database is not None:
            self.__dict__["database"] = database
        # The procedures' workflows: the shipped ones unless a test declares its own.
        self._engine = engine

    @cached_property
    def database(self) -> Database:
        from complaints.db import Database

        return Database(self.settings.database.url)

    @cached_property
    def calendar(self) -> WorkingCalendar:
        return WorkingCalendar.from_config(self.settings.calendar)

    @property
    def engine(self) -> WorkflowEngine:
        return self._engine or shared_engine()

    @classmethod
    def load(cls, config_file: Path | None = None, clock: Clock | None = None) -> Context:
        """Load config.toml (or `config_file`); a bad setting stops here with its key named."""
        return cls(load_settings(config_file), clock)
