"""The portal's settings with one URL: the Django floor of bench/floor.py (a view returning recorded bytes)."""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.floor_urls"
# The Django floor is Django's request cycle: no front ahead of it (portal/wsgi.py).
PUBLICATION_FRONT = False
