"""`python -m web.serve`: the web front end under waitress on 127.0.0.1:5000, or the port given
(what `make run` starts), with a scheduler in the same process when `[scheduler] embedded` is
true (the only place one is embedded: in production `complaints scheduler` runs beside
gunicorn), printing a demo sign-in for each role.

The alert e-mails its scheduler sends link to the address it serves, when config.toml's
`[alerts] case_link` points at this machine (docs/configuration.md).
"""

from __future__ import annotations

import argparse
import dataclasses
import os
from urllib.parse import urlsplit, urlunsplit

from waitress import serve

from complaints.alerts.scheduled import start_embedded_scheduler
from complaints.config import Settings
from complaints.context import Context
from complaints.demo.staff import DEMO_PASSWORD, DEMO_STAFF
from complaints.logs import configure_logging
from complaints.services.accounts import list_staff
from web import create_app
from web.demo_mail import start_demo_mail

THREADS = 8
THIS_MACHINE = {"127.0.0.1", "localhost", "::1"}


def demo_logins(ctx: Context) -> list[str]:
    """One line per role: a demo account of that role that exists here, with the password."""
    present = {member.username for member in list_staff(ctx) if member.active}
    lines: list[str] = []
    seen: set[str] = set()
    for person in DEMO_STAFF:
        if person.username in present and person.role.value not in seen:
            seen.add(person.role.value)
            lines.append(f"  {person.role.value:<16} {person.username:<16} {DEMO_PASSWORD}")
    return lines


def linking_to(settings: Settings, base_url: str) -> Settings:
    """`settings` with the alerts' link to a case at `base_url` (scheme, host and port), when
    the configured link points at this machine: a link to another port here reaches nothing. A
    link to another host, the council's own address, is kept as it is."""
    link = urlsplit(settings.alerts.case_link)
    if link.hostname not in THIS_MACHINE:
        return settings
    served = urlsplit(base_url)
    case_link = urlunsplit((served.scheme, served.netloc, link.path, link.query, link.fragment))
    return dataclasses.replace(
        settings, alerts=dataclasses.replace(settings.alerts, case_link=case_link)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument(
        "--demo-mail",
        action="store_true",
        help="Send e-mail to a local sink that writes it to instance/mail/ (for the demo).",
    )
    arguments = parser.parse_args()
    configure_logging(os.environ.get("COMPLAINTS_LOG_FORMAT", "text"))
    address = f"http://{arguments.host}:{arguments.port}"
    loaded = Context.load()
    ctx = Context(linking_to(loaded.settings, address), loaded.clock, loaded.database)
    if arguments.demo_mail:
        folder = ctx.settings.source.parent / "instance" / "mail"
        settings, _sink = start_demo_mail(ctx.settings, folder)
        ctx = Context(settings, ctx.clock)
        print(f"E-mail is not sent anywhere: each message is written to {folder}/")
    app = create_app(ctx)
    if start_embedded_scheduler(ctx) is not None:
        print("The scheduler runs in this process (sweeps, alerts, e-mails).")
    print(f"Complaints for {ctx.settings.council.name}: {address}/")
    logins = demo_logins(ctx)
    if logins:
        print("Demo sign-ins (role, username, password):")
        print("\n".join(logins))
    print("Press Ctrl+C to stop.", flush=True)
    serve(app, host=arguments.host, port=arguments.port, threads=THREADS)


if __name__ == "__main__":
    main()
