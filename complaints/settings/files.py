"""Finding, reading and checking `config.toml`, for the whole of it or one section read alone.

`complaints.config` checks the whole file into `Settings`; a command that needs one section (a
working-day sum needs only `[calendar]`, complaints/settings/calendar.py) checks that section
alone, through the same section model, without loading the other sections' models. Either way a
problem stops the load with a `ConfigError` naming the file and the dotted key.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import TypeAdapter, ValidationError

from complaints.errors import ConfigError
from complaints.settings.messages import problem_lines
from complaints.settings.values import ConfigFile

if TYPE_CHECKING:
    from workflows.definition import Workflow

CONFIG_ENV_VAR = "COMPLAINTS_CONFIG"
DEFAULT_CONFIG_PATH = Path(__file__).resolve().parent.parent.parent / "config.toml"

_Checked = TypeVar("_Checked")


def config_path(environ: Mapping[str, str] = os.environ) -> Path:
    """The configuration file to use: `COMPLAINTS_CONFIG` if set and not empty, else the default."""
    value = environ.get(CONFIG_ENV_VAR, "")
    return Path(value) if value else DEFAULT_CONFIG_PATH


def read_config(source: Path) -> dict[str, Any]:
    """The file's TOML; raises `ConfigError` naming the file when it is missing, unreadable or
    not valid TOML."""
    try:
        with source.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(
            f"{source}: configuration file not found "
            f"(set {CONFIG_ENV_VAR} to the path of the council's config.toml)"
        ) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{source}: not valid TOML: {error}") from None
    except UnicodeDecodeError as error:
        raise ConfigError(
            f"{source}: not valid TOML: the file is not UTF-8 text ({error})"
        ) from None
    except OSError as error:
        raise ConfigError(f"{source}: cannot read the configuration file: {error}") from None


def check_config(
    model: TypeAdapter[_Checked],
    root: type,
    data: Mapping[str, Any],
    *,
    source: Path,
    environ: Mapping[str, str],
    workflows: Mapping[str, Workflow] | None = None,
) -> _Checked:
    """`data`, read from `source`, checked by `model` (whose type is `root`); raises `ConfigError`
    with one line per problem, each naming the file and the dotted key."""
    file = ConfigFile(Path(source), environ, workflows)
    try:
        return model.validate_python(data, context=file, by_alias=True, by_name=False)
    except ValidationError as error:
        lines = problem_lines(error, root)
        raise ConfigError("\n".join(f"{source}: {line}" for line in lines)) from None
