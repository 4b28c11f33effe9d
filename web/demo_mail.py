"""A mail server for the demo (`make run`): it accepts every message and writes it as an .eml
file under instance/mail/, so the alerts and acknowledgements the product sends can be read
without a real mail server. Only `python -m web.serve --demo-mail` starts it; production sends
through the council's server in config.toml's [smtp]."""

from __future__ import annotations

import dataclasses
import itertools
import logging
import socket
from pathlib import Path
from typing import Any

from complaints.config import Settings
from complaints.private_files import make_private_folder, write_private


class MailFolder:
    """An aiosmtpd handler that keeps each message as a numbered .eml file, readable by its
    owner only (messages hold complainants' names and cases)."""

    def __init__(self, folder: Path) -> None:
        make_private_folder(folder)
        self.folder = folder
        start = len(list(folder.glob("*.eml"))) + 1
        self.numbers = itertools.count(start)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        path = self.folder / f"{next(self.numbers):06d}.eml"
        write_private(path, envelope.content)
        return "250 Message accepted"


def start_demo_mail(settings: Settings, folder: Path) -> tuple[Settings, Any]:
    """Start the sink on a free port on this machine; returns settings that send to it, and the
    running server (stop it with `.stop()`)."""
    from aiosmtpd.controller import Controller  # a development dependency, for the demo only

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # one line per connection otherwise
    port = _free_port()
    controller = Controller(MailFolder(folder), hostname="127.0.0.1", port=port)
    controller.start()
    smtp = dataclasses.replace(
        settings.smtp, host="127.0.0.1", port=port, security="none", username="", password=""
    )
    return dataclasses.replace(settings, smtp=smtp), controller


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
