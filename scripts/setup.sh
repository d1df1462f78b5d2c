#!/usr/bin/env bash
# Set up everything Bailanys needs on a Debian/Ubuntu machine, from nothing, idempotently:
#   a Python virtual environment with the pinned packages, a PostgreSQL server (installed from the
#   OS packages when missing), the role, database and extensions, and the migrations.
#
# Usage: scripts/setup.sh [dev|bench]  (dev also installs the test tools from requirements-dev.txt;
#        dev and bench install wrk, the HTTP load generator of `make bench` and of its tests)
#
# Configuration (environment):
#   DATABASE_URL   use this PostgreSQL server instead of managing one (nothing is installed or started)
#   PYTHON         the interpreter to build .venv from (default: python3, must be 3.11+)
#   BAILANYS_PGPORT  port of the managed local server when one has to be started (default 54329)
#   BAILANYS_DB_NAME name of the database and its role on the managed server (default bailanys); a second
#                    checkout on the same machine (a git worktree) uses its own
#   BAILANYS_REDIS=1 share the caches between workers through Redis (remembered in .env): Debian's
#                    redis-server is installed and started — as root the OS service on 6379, as an
#                    ordinary user a private server in .redis/ on BAILANYS_REDIS_PORT (default 63799) —
#                    and REDIS_URL written into .env
#   REDIS_URL      use this Redis server instead (nothing is installed or started)
#
# The managed server: as root, the OS cluster of the installed PostgreSQL version (PostgreSQL refuses
# to run as root, so it runs as the `postgres` account through pg_ctlcluster); as an ordinary user, a
# private cluster in .pg/ owned by that user. Either way the portal connects over TCP on 127.0.0.1
# with a generated password kept in .env (git-ignored), which settings read.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
MODE=${1:-run}
STATE=$ROOT/.state
mkdir -p "$STATE"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'setup: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo -n "$@"
  else die "need root to run: $* (run 'make setup' once as root or with passwordless sudo)"
  fi
}

apt_install() {
  say "installing OS packages: $*"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq || true
  as_root apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# ---------------------------------------------------------------- .env (secrets for development)
ENV_FILE=$ROOT/.env
touch "$ENV_FILE"
env_get() { sed -n "s/^$1=//p" "$ENV_FILE" | tail -n 1; }
env_set() {
  grep -v "^$1=" "$ENV_FILE" > "$ENV_FILE.tmp" || true
  printf '%s=%s\n' "$1" "$2" >> "$ENV_FILE.tmp"
  mv "$ENV_FILE.tmp" "$ENV_FILE"
}
random_token() { od -An -N24 -tx1 /dev/urandom | tr -d ' \n'; }
[ -n "$(env_get SECRET_KEY)" ] || env_set SECRET_KEY "dev-$(random_token)"
chmod 600 "$ENV_FILE"

# ---------------------------------------------------------------- Python
PYTHON=${PYTHON:-python3}
command -v "$PYTHON" >/dev/null || apt_install python3 python3-venv
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  || die "$PYTHON is $("$PYTHON" --version 2>&1); Bailanys needs Python 3.11 or newer (set PYTHON=...)"
if [ ! -x .venv/bin/python ]; then
  say "creating .venv"
  "$PYTHON" -m venv .venv 2>/dev/null || { apt_install python3-venv; rm -rf .venv; "$PYTHON" -m venv .venv; }
fi
REQS=requirements.txt
[ "$MODE" = dev ] && REQS=requirements-dev.txt
stamp=$STATE/pip-$(cat requirements.txt "$REQS" | sha256sum | cut -c1-16)
if [ ! -e "$stamp" ]; then
  say "installing Python packages from $REQS"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$REQS" 2>&1 | grep -v 'is ignored' || true
  .venv/bin/python -m pip check >/dev/null || die "pip check failed after installing $REQS"
  rm -f "$STATE"/pip-*
  touch "$stamp"
fi

# gettext: makemessages/compilemessages for translators, and the test that the catalogues are complete
if [ "$MODE" = dev ]; then
  command -v xgettext >/dev/null && command -v msgmerge >/dev/null || apt_install gettext
fi

# wrk: the load generator of `manage.py bench` (bench/throughput.py) and of tests/bench/test_throughput.py
if [ "$MODE" = dev ] || [ "$MODE" = bench ]; then
  command -v wrk >/dev/null || apt_install wrk
fi
# redis-server, for the test that shares the publication cache between two workers (it starts a private
# server of its own; nothing is started here unless BAILANYS_REDIS=1, below)
if [ "$MODE" = dev ]; then
  command -v redis-server >/dev/null || apt_install redis-server
fi

# ---------------------------------------------------------------- front-end libraries (npm registry)
if [ -f package.json ]; then
  command -v npm >/dev/null || apt_install nodejs npm
  stamp=$STATE/npm-$(cat package.json package-lock.json | sha256sum | cut -c1-16)
  if [ ! -e "$stamp" ] || [ ! -d node_modules ]; then
    say "installing front-end packages (npm ci)"
    NPM_CONFIG_UPDATE_NOTIFIER=false npm ci --no-audit --no-fund --loglevel=error >/dev/null
    rm -f "$STATE"/npm-*
    touch "$stamp"
  fi
fi

# ---------------------------------------------------------------- PostgreSQL
pg_bindir() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/pg_ctl" ] && { echo "$d"; return; }
  done
}

psql_url() { .venv/bin/python - "$1" <<'PY'
import sys, psycopg
try:
    with psycopg.connect(sys.argv[1], connect_timeout=3) as c:
        c.execute("select 1")
except Exception as e:
    print(e, file=sys.stderr); sys.exit(1)
PY
}

ensure_extensions() {
  # pg_trgm, unaccent and btree_gist are trusted extensions: the database owner may create them.
  .venv/bin/python - "$1" <<'PY'
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as c:
    for ext in ("pg_trgm", "unaccent", "btree_gist"):
        c.execute(f"CREATE EXTENSION IF NOT EXISTS {ext}")
PY
}

if [ -n "${DATABASE_URL:-}" ]; then
  say "using DATABASE_URL from the environment"
  psql_url "$DATABASE_URL" || die "cannot connect to DATABASE_URL"
  ensure_extensions "$DATABASE_URL" || say "could not create extensions; ask the server's administrator for pg_trgm, unaccent, btree_gist"
else
  PGPASS=$(env_get BAILANYS_DB_PASSWORD)
  [ -n "$PGPASS" ] || { PGPASS=$(random_token); env_set BAILANYS_DB_PASSWORD "$PGPASS"; }
  BIN=$(pg_bindir)
  if [ -z "$BIN" ]; then
    apt_install postgresql postgresql-contrib
    BIN=$(pg_bindir)
    [ -n "$BIN" ] || die "PostgreSQL binaries not found after installing postgresql"
  fi
  VERSION=$(basename "$(dirname "$BIN")")
  [ -e /usr/share/postgresql/$VERSION/extension/pg_trgm.control ] || apt_install "postgresql-contrib"

  if [ "$(id -u)" = 0 ]; then
    # The OS cluster, run as the postgres account.
    PORT=$(pg_lsclusters -h 2>/dev/null | awk -v v="$VERSION" '$1==v && $2=="main" {print $3}')
    if [ -z "$PORT" ]; then
      say "creating PostgreSQL $VERSION cluster 'main'"
      pg_createcluster "$VERSION" main >/dev/null
      PORT=$(pg_lsclusters -h | awk -v v="$VERSION" '$1==v && $2=="main" {print $3}')
    fi
    if ! pg_lsclusters -h | awk -v v="$VERSION" '$1==v && $2=="main" {print $4}' | grep -q online; then
      say "starting PostgreSQL $VERSION cluster 'main' on port $PORT"
      pg_ctlcluster "$VERSION" main start
    fi
    admin_psql() { runuser -u postgres -- psql -X -q -p "$PORT" -v ON_ERROR_STOP=1 "$@"; }
  else
    # A private cluster in .pg/, owned and run by this user.
    PORT=${BAILANYS_PGPORT:-54329}
    PGDATA=$ROOT/.pg/data
    if [ ! -s "$PGDATA/PG_VERSION" ]; then
      say "initialising a private PostgreSQL $VERSION cluster in .pg/"
      mkdir -p "$ROOT/.pg"
      printf '%s\n' "$PGPASS" > "$ROOT/.pg/pwfile"
      "$BIN/initdb" -D "$PGDATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
        --pwfile="$ROOT/.pg/pwfile" -E UTF8 --locale=C.UTF-8 >/dev/null
      rm -f "$ROOT/.pg/pwfile"
    fi
    if ! "$BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
      say "starting the private PostgreSQL server on 127.0.0.1:$PORT"
      "$BIN/pg_ctl" -D "$PGDATA" -l "$ROOT/.pg/server.log" -w \
        -o "-p $PORT -k $ROOT/.pg -c listen_addresses=127.0.0.1" start >/dev/null
    fi
    admin_psql() { "$BIN/psql" -X -q -h "$ROOT/.pg" -p "$PORT" -U postgres -v ON_ERROR_STOP=1 "$@"; }
  fi

  DB=${BAILANYS_DB_NAME:-$(env_get BAILANYS_DB_NAME)}
  DB=${DB:-bailanys}
  [[ "$DB" =~ ^[a-z_][a-z0-9_]{0,40}$ ]] || die "BAILANYS_DB_NAME must be a lower-case identifier"
  env_set BAILANYS_DB_NAME "$DB"
  admin_psql -d postgres <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB') THEN
    CREATE ROLE $DB LOGIN CREATEDB PASSWORD '$PGPASS';
  ELSE
    ALTER ROLE $DB LOGIN CREATEDB PASSWORD '$PGPASS';
  END IF;
END \$\$;
SQL
  if [ -z "$(admin_psql -d postgres -tA -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" ]; then
    say "creating database $DB"
    admin_psql -d postgres -c "CREATE DATABASE $DB OWNER $DB ENCODING 'UTF8' TEMPLATE template0"
  fi
  env_set DATABASE_URL "postgres://$DB:$PGPASS@127.0.0.1:$PORT/$DB"
  ensure_extensions "$(env_get DATABASE_URL)"
fi

# ---------------------------------------------------------------- Redis (optional)
redis_ping() { .venv/bin/python - "$1" <<'PY'
import sys, redis
try:
    redis.Redis.from_url(sys.argv[1], socket_connect_timeout=3).ping()
except Exception as e:
    print(e, file=sys.stderr); sys.exit(1)
PY
}

REDIS_WANTED=${BAILANYS_REDIS:-$(env_get BAILANYS_REDIS)}
if [ -n "${REDIS_URL:-}" ]; then
  say "using REDIS_URL from the environment"
  redis_ping "$REDIS_URL" || die "cannot reach REDIS_URL"
elif [ "$REDIS_WANTED" = 1 ]; then
  env_set BAILANYS_REDIS 1
  command -v redis-server >/dev/null || apt_install redis-server
  # A cache, not a store: bounded memory, least recently used keys evicted, nothing written to disk.
  REDIS_MAXMEMORY=${BAILANYS_REDIS_MAXMEMORY:-256mb}
  if [ "$(id -u)" = 0 ]; then
    REDIS_PORT=6379
    if ! redis_ping "redis://127.0.0.1:$REDIS_PORT/0" 2>/dev/null; then
      say "starting the OS redis-server on 127.0.0.1:$REDIS_PORT"
      service redis-server start >/dev/null 2>&1 || redis-server /etc/redis/redis.conf --daemonize yes >/dev/null
    fi
    for _ in 1 2 3 4 5 6 7 8 9 10; do redis_ping "redis://127.0.0.1:$REDIS_PORT/0" 2>/dev/null && break; sleep 0.5; done
    redis-cli -p "$REDIS_PORT" config set maxmemory "$REDIS_MAXMEMORY" >/dev/null
    redis-cli -p "$REDIS_PORT" config set maxmemory-policy allkeys-lru >/dev/null
  else
    REDIS_PORT=${BAILANYS_REDIS_PORT:-63799}
    mkdir -p "$ROOT/.redis"
    if ! redis_ping "redis://127.0.0.1:$REDIS_PORT/0" 2>/dev/null; then
      say "starting a private redis-server on 127.0.0.1:$REDIS_PORT (.redis/)"
      redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$ROOT/.redis" --daemonize yes \
        --pidfile "$ROOT/.redis/redis.pid" --logfile "$ROOT/.redis/redis.log" \
        --maxmemory "$REDIS_MAXMEMORY" --maxmemory-policy allkeys-lru --save "" --appendonly no >/dev/null
    fi
  fi
  for _ in 1 2 3 4 5 6 7 8 9 10; do redis_ping "redis://127.0.0.1:$REDIS_PORT/0" 2>/dev/null && break; sleep 0.5; done
  redis_ping "redis://127.0.0.1:$REDIS_PORT/0" || die "redis-server did not start on port $REDIS_PORT"
  env_set REDIS_URL "redis://127.0.0.1:$REDIS_PORT/0"
fi

# ---------------------------------------------------------------- migrations
say "migrating"
.venv/bin/python manage.py migrate --no-input -v 0
say "set-up complete"
