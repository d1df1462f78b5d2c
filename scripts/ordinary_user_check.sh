#!/usr/bin/env bash
# The ordinary-user path of `make setup`, proven (CI runs it from .ci/run): as an unprivileged account,
# in a fresh clone of this checkout that it owns, `make setup` must build its .venv, install the
# front-end packages and run a private PostgreSQL cluster in .pg/ (no root, no sudo), migrate, and
# the portal must then answer. PostgreSQL itself must already be installed (a root `make setup` does).
#
# Run as root (it creates the account `bailanys-ci` and works in its home); otherwise it says why and
# skips. BAILANYS_CI_USER chooses another account name.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

if [ "$(id -u)" != 0 ]; then
  say "ordinary-user set-up: skipped (needs root to create an unprivileged account to run it as)"
  exit 0
fi
ACCOUNT=${BAILANYS_CI_USER:-bailanys-ci}
id "$ACCOUNT" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$ACCOUNT"
HOME_DIR=$(getent passwd "$ACCOUNT" | cut -d: -f6)
DEST=$HOME_DIR/bailanys
rm -rf "$DEST"
git clone --quiet "$ROOT" "$DEST"
chown -R "$ACCOUNT:" "$DEST"
# A free port for its private cluster (the default 54329 may be taken on a shared machine).
PGPORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_user() { runuser -u "$ACCOUNT" -- env -i HOME="$HOME_DIR" PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 \
  BAILANYS_PGPORT="$PGPORT" "$@"; }
stop() { [ -d "$DEST/.pg/data" ] && as_user bash -c "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/pg_ctl -D '$DEST/.pg/data' -m fast -w stop" >/dev/null 2>&1 || true; }
trap stop EXIT

say "make setup as $ACCOUNT (no root) in $DEST"
as_user make -C "$DEST" setup
[ -s "$DEST/.pg/data/PG_VERSION" ] || { echo "no private cluster in .pg/" >&2; exit 1; }
[ "$(stat -c %U "$DEST/.pg/data")" = "$ACCOUNT" ] || { echo ".pg/ is not owned by $ACCOUNT" >&2; exit 1; }
say "the portal answers from its private cluster"
as_user bash -c "cd '$DEST' && .venv/bin/python manage.py migrate --check >/dev/null && DJANGO_DEBUG=1 .venv/bin/python manage.py shell -c \"
from django.test import Client
for path in ('/ready/', '/', '/agreements/', '/api/v1/places/'):
    status = Client(HTTP_HOST='127.0.0.1').get(path).status_code
    assert status == 200, (path, status)
print('ordinary-user set-up: private cluster on 127.0.0.1:$PGPORT, migrated, pages answer')
\""
