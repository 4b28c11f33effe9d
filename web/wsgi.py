"""The WSGI entry point for production servers: `gunicorn --workers 4 web.wsgi:app`.

The app reads config.toml (or $COMPLAINTS_CONFIG) and $COMPLAINTS_DATABASE_URL once per worker.
No worker runs the scheduler: run one `complaints scheduler` process beside gunicorn (see
docs/operations.md). Logs are JSON lines on standard error (complaints.logs), each with the case
reference where there is one.
"""

import os

from complaints.logs import configure_logging
from web import create_app

# JSON lines for the council's log collector; COMPLAINTS_LOG_FORMAT=text for people.
configure_logging(os.environ.get("COMPLAINTS_LOG_FORMAT", "json"))
app = create_app()
