"""The WSGI entry point for production servers: `gunicorn --workers 4 web.wsgi:app`.

The app reads config.toml (or $COMPLAINTS_CONFIG) and $COMPLAINTS_DATABASE_URL once per worker.
Each worker may start the embedded scheduler ([scheduler] embedded = true); the lease in the
database lets only one of them run the jobs at a time.
"""

from web import create_app

app = create_app()
