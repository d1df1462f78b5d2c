"""WSGI entry point (gunicorn portal.wsgi; `make serve` runs it with portal/gunicorn_conf.py).

Django's application stands behind the publication cache's front (records/caching.py
PublicationFront): anonymous reads already stored, /health/ and /ready/ are answered before Django's
request cycle. PUBLICATION_FRONT=0 serves through Django alone (the benchmark's Django floor does).
"""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()

# After Django is set up: a portal that could not serve its pages says why now, not on every request.
from portal.startup import static_files_collected  # noqa: E402
from records.caching import PublicationFront  # noqa: E402

static_files_collected()
if settings.PUBLICATION_FRONT:
    application = PublicationFront(application)
