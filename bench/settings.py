"""Settings for benchmarks and the test suite: the portal's own, with the `bench` app installed.

The running portal never loads `bench` (portal/settings.py does not name it); `make bench` and
`make test` select this module, so that `generate_synthetic` and `bench` exist only there.
"""

from portal.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
