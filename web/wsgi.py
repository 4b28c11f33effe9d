"""The WSGI entry point for production servers: `gunicorn --workers 4 web.wsgi:app`.

The app reads config.toml (or $COMPLAINTS_CONFIG) and $COMPLAINTS_DATABASE_URL once per worker.
Each worker may start the embedded scheduler ([scheduler] embedded = true); the lease in the
database lets only one of them run the jobs at a time. Logs are JSON lines on standard error
(complaints.logs), each with the case reference where there is one.
"""

import os

from complaints.logs import configure_logging
from web import create_app

# JSON lines for the council's log collector; COMPLAINTS_LOG_FORMAT=text for people.
configure_logging(os.environ.get("COMPLAINTS_LOG_FORMAT", "json"))
app = create_app()
