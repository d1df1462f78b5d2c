#!/usr/bin/env bash
# The production shape on one machine (`make serve`, after `make setup`): debug off, static files
# collected (hashed, compressed names, served by WhiteNoise), gunicorn with portal/gunicorn_conf.py
# (JSON request logs on standard output) and a background worker beside it (scripts/with_worker.sh).
#
#   GUNICORN_BIND (default $HOST:$PORT, 127.0.0.1:8000), GUNICORN_WORKERS, ... : see portal/gunicorn_conf.py
#   DJANGO_ALLOWED_HOSTS (default 127.0.0.1,localhost)       the names the portal answers to
#   BAILANYS_WORKERS (default 1)                             background workers to start (0: none)
# Other settings come from .env and the environment as always (README, Configuration; Deploying).
set -euo pipefail
cd "$(dirname "$0")/.."
export DJANGO_DEBUG=0
export DJANGO_ALLOWED_HOSTS=${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}
export GUNICORN_BIND=${GUNICORN_BIND:-${HOST:-127.0.0.1}:${PORT:-8000}}
printf '\033[1m==> %s\033[0m\n' "collecting static files" >&2
.venv/bin/python manage.py collectstatic --noinput -v 0
printf '\033[1m==> %s\033[0m\n' "serving http://$GUNICORN_BIND/ (debug off; Ctrl-C stops)" >&2
scripts/with_worker.sh .venv/bin/python -m gunicorn -c python:portal.gunicorn_conf portal.wsgi
