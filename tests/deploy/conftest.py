"""The served portal's static files, collected once per test process (collectstatic takes seconds)."""

import pytest

from bench import serving


@pytest.fixture(scope="session")
def static_root(tmp_path_factory) -> str:
    root = str(tmp_path_factory.mktemp("static"))
    serving.static_collected(serving.production_env("postgres://unused@127.0.0.1:1/unused", STATIC_ROOT=root))
    return root
