"""WSGI entry point (gunicorn portal.wsgi; `make serve` runs it with portal/gunicorn_conf.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()

# After Django is set up: a portal that could not serve its pages says why now, not on every request.
from portal.startup import static_files_collected  # noqa: E402

static_files_collected()
