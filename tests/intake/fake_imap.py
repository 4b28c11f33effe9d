"""A small IMAP4rev1 server on loopback, enough for the commands the product's mailbox sends:
LOGIN, SELECT, UID SEARCH UNSEEN, UID FETCH (size, headers, whole message), UID STORE \\Seen."""

from __future__ import annotations

import re
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class FakeMailbox:
    """The messages on the server by UID, and which have been seen."""

    messages: dict[int, bytes] = field(default_factory=dict)
    seen: set[int] = field(default_factory=set)
    password: str = "secret"

    def add(self, data: bytes) -> int:
        uid = max(self.messages, default=0) + 1
        self.messages[uid] = data
        return uid


class _Handler(socketserver.StreamRequestHandler):
    mailbox: FakeMailbox

    def handle(self) -> None:
        self.send(b"* OK fake IMAP ready")
        while line := self.rfile.readline():
            tag, _, rest = line.decode().rstrip("\r\n").partition(" ")
            command, _, arguments = rest.partition(" ")
            if not self.answer(tag, command.upper(), arguments):
                return

    def send(self, *lines: bytes) -> None:
        for line in lines:
            self.wfile.write(line + b"\r\n")

    def answer(self, tag: str, command: str, arguments: str) -> bool:
        done = f"{tag} OK {command} done".encode()
        if command == "CAPABILITY":
            self.send(b"* CAPABILITY IMAP4rev1", done)
        elif command == "LOGIN":
            password = arguments.split(" ", 1)[1].strip('"')
            ok = password == self.mailbox.password
            self.send(done if ok else f"{tag} NO wrong password".encode())
        elif command == "SELECT":
            self.send(f"* {len(self.mailbox.messages)} EXISTS".encode(), done)
        elif command == "UID":
            self.uid(tag, arguments)
            self.send(done)
        elif command == "LOGOUT":
            self.send(b"* BYE", done)
            return False
        else:
            self.send(f"{tag} BAD unknown command".encode())
        return True

    def uid(self, tag: str, arguments: str) -> None:
        verb, _, rest = arguments.partition(" ")
        verb = verb.upper()
        if verb == "SEARCH":
            unseen = [
                str(uid) for uid in sorted(self.mailbox.messages) if uid not in self.mailbox.seen
            ]
            self.send(("* SEARCH " + " ".join(unseen)).strip().encode())
            return
        uid_text, _, items = rest.partition(" ")
        uid = int(uid_text)
        data = self.mailbox.messages[uid]
        if verb == "STORE":
            self.mailbox.seen.add(uid)
            self.send(f"* {uid} FETCH (UID {uid} FLAGS (\\Seen))".encode())
        elif "RFC822.SIZE" in items:
            self.send(f"* {uid} FETCH (UID {uid} RFC822.SIZE {len(data)})".encode())
        else:
            part = data.split(b"\r\n\r\n", 1)[0] + b"\r\n\r\n" if "HEADER" in items else data
            name = re.sub(r"\.PEEK", "", items.strip("()"))
            self.wfile.write(f"* {uid} FETCH (UID {uid} {name} {{{len(part)}}}\r\n".encode())
            self.wfile.write(part + b")\r\n")


@contextmanager
def imap_server(mailbox: FakeMailbox) -> Iterator[int]:
    """Serve `mailbox` on a free loopback port for the duration of the block; yields the port."""
    handler = type("Handler", (_Handler,), {"mailbox": mailbox})
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
