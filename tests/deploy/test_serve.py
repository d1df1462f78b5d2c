"""`make serve`: scripts/serve.sh serves every page with debug off, beside a background worker, with JSON
request logs; and a portal whose static files were never collected refuses to start, saying why."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys

import pytest
from django.conf import settings

from bench import serving
from portal import pgtools
from tests.factories import publish
from tests.http import fetch as get

pytestmark = pytest.mark.slow


@pytest.mark.django_db(transaction=True)
def test_make_serve_serves_every_page_with_debug_off(static_root, tmp_path):
    place = publish("place", name="Kurgan Region", kind="region")
    agreement = publish("agreement", title="Agreement on border trade", parties=[{"id": place.pk, "role": "party"}])
    log = tmp_path / "serve.log"
    with socket.socket() as listener, log.open("w") as out:
        listener.bind(("127.0.0.1", 0))
        listener.listen(128)
        base = f"http://127.0.0.1:{listener.getsockname()[1]}"
        env = serving.production_env(
            pgtools.database_url(),
            STATIC_ROOT=static_root,
            GUNICORN_BIND=f"fd://{listener.fileno()}",
            GUNICORN_WORKERS="2",
        )
        # Its own session: stopping it is stopping the group (gunicorn, its workers, the background worker).
        server = subprocess.Popen(
            ["scripts/serve.sh"],
            cwd=settings.BASE_DIR,
            env=env,
            pass_fds=(listener.fileno(),),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            pages = ["/", "/agreements/", f"/agreements/{agreement.pk}/", f"/agreements/{agreement.pk}/history/"]
            pages += [f"/places/{place.pk}/", "/search/?q=Kurgan", "/sitemap.xml", "/robots.txt"]
            pages += ["/accounts/login/", "/accounts/signup/", "/api/v1/", "/api/v1/agreements/", "/api/docs/"]
            pages += ["/api/schema/", "/health/", "/ready/"]
            for path in pages:
                status, body, _ = get(base + path)
                assert status == 200, path
            _, home, _ = get(base + "/")
            # Pages name the hashed files of the manifest, and those are served, to be kept for ever.
            stylesheet = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', home).group(1)
            status, _, headers = get(base + stylesheet)
            assert status == 200 and "immutable" in headers["Cache-Control"]
            assert "Agreement on border trade" in get(f"{base}/agreements/{agreement.pk}/")[1]
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=60)
    output = log.read_text()
    assert "Starting worker" in output  # the background worker ran beside gunicorn
    requests = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    logged = {(entry["method"], entry["path"], entry["status"]) for entry in requests}
    assert ("GET", f"/agreements/{agreement.pk}/", 200) in logged
    assert all(entry["duration_ms"] >= 0 and entry["client"] == "127.0.0.1" for entry in requests)
    assert not any(entry["path"] in ("/health/", "/ready/") for entry in requests)  # polls are not logged


def test_a_portal_without_collected_static_files_refuses_to_start(tmp_path):
    env = serving.production_env("postgres://unused@127.0.0.1:1/unused", STATIC_ROOT=str(tmp_path / "never"))
    command = [sys.executable, "-m", "gunicorn", "portal.wsgi", "--bind", "127.0.0.1:0", "--workers", "1"]
    result = subprocess.run(command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "Static files are not collected" in result.stderr
    assert "manage.py collectstatic" in result.stderr
