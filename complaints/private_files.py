"""Files that hold personal data (exports, backups, reports, subject access exports, letters,
the SQLite database): readable and writable by their owner only (0600) from their first byte,
in folders only their owner can open (0700) when the product makes the folder.

A file is written beside its target as `<name>.part` and renamed over the target only when it
is complete, so a failure never leaves half a file under the target's name, and a target that
existed before keeps no looser permissions: the rename puts a new file in its place.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


def make_private_folder(folder: Path) -> None:
    """Create the folder, and any missing folders above it, for their owner only; a folder that
    exists already is left as it is."""
    missing = [path for path in (folder, *folder.parents) if not path.exists()]
    for path in reversed(missing):
        path.mkdir(mode=PRIVATE_FOLDER, exist_ok=True)


def create_private_file(path: Path) -> None:
    """Create `path` as an empty file only its owner may read; FileExistsError if it exists
    (a link planted there included: it is never followed)."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    os.close(descriptor)


@contextmanager
def private_file(target: Path) -> Iterator[Path]:
    """An empty file only its owner may read, to write `target`'s content into (by path, for
    programs that open it themselves); it becomes `target` when the block ends, and is removed
    if the block fails."""
    partial = target.with_name(target.name + ".part")
    partial.unlink(missing_ok=True)
    create_private_file(partial)
    try:
        yield partial
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


def write_private(target: Path, content: bytes | str) -> None:
    """Write `content` (text as UTF-8) to `target`, readable by its owner only."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    with private_file(target) as partial:
        partial.write_bytes(data)
