"""Where e-mail is read from: an IMAP mailbox, or a folder of `.eml` files.

Both hand over each message's bytes with its size; a message larger than the council's limit is
handed over as its headers alone, so it can be recorded as refused without being downloaded. The
IMAP mailbox reads unseen messages without marking them (BODY.PEEK) and marks each seen only
once the product has recorded it, so a run that stops half-way loses nothing: the next run reads
again whatever was not recorded. Nothing is ever deleted from the mailbox or the folder.
"""

from __future__ import annotations

import contextlib
import imaplib
import re
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from complaints.config import MailSettings
from complaints.errors import DomainError


@dataclass(frozen=True)
class RawMessage:
    """One message as the mailbox holds it; `data` is only its headers when `too_large`."""

    key: str
    data: bytes
    size: int
    too_large: bool


class Mailbox(Protocol):
    def messages(self) -> Iterator[RawMessage]: ...

    def recorded(self, key: str) -> None: ...

    def close(self) -> None: ...


class FolderMailbox:
    """The `.eml` files of a folder, in name order (a message already recorded is skipped by
    its Message-ID, so the folder can be read again safely)."""

    def __init__(self, folder: Path, max_bytes: int) -> None:
        if not folder.is_dir():
            raise DomainError(f"there is no folder {folder}")
        self.folder = folder
        self.max_bytes = max_bytes

    def messages(self) -> Iterator[RawMessage]:
        for path in sorted(self.folder.glob("*.eml")):
            size = path.stat().st_size
            if size > self.max_bytes:
                yield RawMessage(str(path), _headers_of(path), size, too_large=True)
            else:
                yield RawMessage(str(path), path.read_bytes(), size, too_large=False)

    def recorded(self, key: str) -> None:
        """Nothing to do: the file stays where it is."""

    def close(self) -> None:
        """Nothing to release."""


class ImapMailbox:
    """The unseen messages of a mailbox on an IMAP server."""

    def __init__(self, settings: MailSettings) -> None:
        if not settings.imap_host:
            raise DomainError("no mailbox is set up: set [mail] imap_host, or give --folder")
        self.settings = settings
        self.connection = _connect(settings)

    def messages(self) -> Iterator[RawMessage]:
        for uid in self._unseen():
            size = self._size(uid)
            too_large = size > self.settings.max_message_bytes
            part = "BODY.PEEK[HEADER]" if too_large else "BODY.PEEK[]"
            yield RawMessage(uid, self._fetch(uid, part), size, too_large)

    def recorded(self, key: str) -> None:
        self._command("STORE", key, "+FLAGS", "(\\Seen)")

    def close(self) -> None:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):  # the session is over anyway
            self.connection.logout()

    def _unseen(self) -> list[str]:
        data = self._command("SEARCH", "UNSEEN")
        return [uid.decode() for uid in (data[0] or b"").split()]

    def _size(self, uid: str) -> int:
        data = self._command("FETCH", uid, "(RFC822.SIZE)")
        match = re.search(rb"RFC822\.SIZE (\d+)", data[0] if isinstance(data[0], bytes) else b"")
        if match is None:
            raise DomainError(f"the mail server did not give the size of message {uid}")
        return int(match[1])

    def _fetch(self, uid: str, part: str) -> bytes:
        data = self._command("FETCH", uid, f"({part})")
        for item in data:
            if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
                return item[1]
        raise DomainError(f"the mail server sent no content for message {uid}")

    def _command(self, command: str, *arguments: str) -> list[Any]:
        """A UID command (SEARCH, FETCH, STORE) and its untagged responses."""
        try:
            status, data = self.connection.uid(command, *arguments)
        except (imaplib.IMAP4.error, OSError) as error:
            raise DomainError(f"the mail server refused {command}: {error}") from None
        if status != "OK":
            raise DomainError(f"the mail server refused {command}: {data}")
        return list(data)


def _connect(settings: MailSettings) -> imaplib.IMAP4:
    host, port = settings.imap_host, settings.imap_port
    try:
        if settings.security == "ssl":
            connection: imaplib.IMAP4 = imaplib.IMAP4_SSL(
                host, port, ssl_context=ssl.create_default_context(), timeout=30
            )
        else:
            connection = imaplib.IMAP4(host, port, timeout=30)
            if settings.security == "starttls":
                connection.starttls(ssl.create_default_context())
        connection.login(settings.username, settings.password)
        status, _ = connection.select(_quoted(settings.mailbox))
    except (imaplib.IMAP4.error, OSError) as error:
        raise DomainError(f"cannot read the mailbox at {host}:{port}: {error}") from None
    if status != "OK":
        raise DomainError(f"there is no mailbox {settings.mailbox!r} at {host}")
    return connection


def _quoted(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _headers_of(path: Path) -> bytes:
    """The header block of a message file, read no further than it goes."""
    lines: list[bytes] = []
    with path.open("rb") as stream:
        for line in stream:
            if line in (b"\r\n", b"\n") or len(lines) > 1000:
                break
            lines.append(line)
    return b"".join(lines) + b"\r\n"
