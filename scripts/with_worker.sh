#!/usr/bin/env bash
# Run a command (the web server) with a background worker beside it; the worker stops with it.
#   scripts/with_worker.sh .venv/bin/python manage.py runserver 127.0.0.1:8000
# The worker is `manage.py procrastinate worker`: it runs the portal's background jobs (records/tasks.py)
# from the queue in PostgreSQL. BAILANYS_WORKERS=0 starts none (another machine runs them).
set -euo pipefail
cd "$(dirname "$0")/.."
pids=()
for _ in $(seq 1 "${BAILANYS_WORKERS:-1}"); do
  .venv/bin/python manage.py procrastinate worker &
  pids+=("$!")
done
stop() { [ ${#pids[@]} -eq 0 ] || kill -TERM "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop EXIT INT TERM
"$@"
