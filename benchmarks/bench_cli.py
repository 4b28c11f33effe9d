"""How long the command line takes to start, against `python -c pass` measured in the same run.

Each command runs as a fresh process, as a person would run it, several times in turn with the
baseline (so a busy moment on the machine falls on all of them alike); the medians are compared.
The commands run against a copy of config.toml and a SQLite file in a temporary folder, so they
change nothing real. Targets: `complaints --help` at most 8x the baseline, `complaints calendar
add` at most 15x. The script also says which heavy libraries each command imported (from
`python -X importtime`), and whether `calendar add` touched the database: it needs none.

Run: python benchmarks/bench_cli.py [--repeats N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from complaints.config import DEFAULT_CONFIG_PATH

COMPLAINTS = str(Path(sys.executable).with_name("complaints"))
HEAVY = (
    "sqlalchemy",
    "sqlmodel",
    "alembic",
    "matplotlib",
    "weasyprint",
    "jinja2",
    "openpyxl",
    "numpy",
)


@dataclass(frozen=True)
class Command:
    label: str
    argv: tuple[str, ...]
    target_ratio: float | None  # None: the baseline


COMMANDS = (
    Command("python -c pass", (sys.executable, "-c", "pass"), None),
    Command("complaints --help", (COMPLAINTS, "--help"), 8.0),
    Command(
        "complaints calendar add 2025-12-19 10",
        (COMPLAINTS, "calendar", "add", "2025-12-19", "10"),
        15.0,
    ),
)


def run_once(argv: tuple[str, ...], env: Mapping[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def heavy_imports(argv: tuple[str, ...], env: Mapping[str, str]) -> list[str]:
    """Which of HEAVY the command imports, read from `-X importtime` on stderr."""
    result = subprocess.run(
        argv,
        env={**env, "PYTHONPROFILEIMPORTTIME": "1"},
        check=True,
        capture_output=True,
        text=True,
    )
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}
    return [name for name in HEAVY if name in imported]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    repeats = parser.parse_args().repeats
    with tempfile.TemporaryDirectory() as folder:
        config = Path(folder) / "config.toml"
        shutil.copyfile(DEFAULT_CONFIG_PATH, config)
        database = Path(folder) / "bench.db"
        env = {
            **os.environ,
            "COMPLAINTS_CONFIG": str(config),
            "COMPLAINTS_DATABASE_URL": f"sqlite:///{database}",
        }
        for command in COMMANDS:  # warm up: the file system's cache, compiled bytecode
            run_once(command.argv, env)
        times: dict[str, list[float]] = {command.label: [] for command in COMMANDS}
        for _ in range(repeats):
            for command in COMMANDS:
                times[command.label].append(run_once(command.argv, env))
        imports = {command.label: heavy_imports(command.argv, env) for command in COMMANDS}
        database_touched = database.exists()
    baseline = statistics.median(times[COMMANDS[0].label])
    print(f"Command line start-up, median of {repeats} runs each, in turn with the baseline")
    for command in COMMANDS:
        median = statistics.median(times[command.label])
        line = f"  {command.label:<40} {median * 1000:7.1f} ms  {median / baseline:5.1f}x"
        if command.target_ratio is not None:
            met = "met" if median / baseline <= command.target_ratio else "NOT met"
            line += f"  target at most {command.target_ratio:g}x: {met}"
        print(line)
        if command.target_ratio is not None:
            print(f"  {'':<40} heavy imports: {', '.join(imports[command.label]) or 'none'}")
    print(f"  database file opened by either command: {'yes' if database_touched else 'no'}")


if __name__ == "__main__":
    main()
