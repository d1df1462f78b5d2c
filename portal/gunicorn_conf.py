"""gunicorn's configuration for the served portal: `gunicorn -c python:portal.gunicorn_conf portal.wsgi`
(`make serve` runs it). Every value can be changed from the environment:

    GUNICORN_BIND              where to listen (127.0.0.1:8000; behind a load balancer 0.0.0.0:8000)
    GUNICORN_WORKERS           processes (2 x cores + 1, at most 8): each takes one request at a time
                               per thread and needs ~170 MiB
    GUNICORN_THREADS           threads per process (1: sync workers; more: gthread workers, which share
                               the process's database pool, DATABASE_POOL_MAX_SIZE — keep it >= threads)
    GUNICORN_TIMEOUT           seconds a request may take before its worker is killed and replaced (60)
    GUNICORN_GRACEFUL_TIMEOUT  seconds running requests get to finish on a restart or stop (30)
    GUNICORN_KEEPALIVE         seconds an idle connection from the load balancer is kept open (5)
    GUNICORN_MAX_REQUESTS      a worker is replaced after this many requests, give or take a random
                               tenth (GUNICORN_MAX_REQUESTS_JITTER), so that memory never creeps up (1000)
    GUNICORN_ACCESS_LOG        where request logs go, one JSON object per line ("-": standard output)

Graceful reload: `kill -HUP <master pid>` starts new workers with the new code and lets the old ones
finish their requests (up to the graceful timeout); `kill -TERM` stops the same way.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from datetime import UTC, datetime

import environ
from gunicorn.glogging import Logger

env = environ.Env()

bind = [env.str("GUNICORN_BIND", default="127.0.0.1:8000")]
workers = env.int("GUNICORN_WORKERS", default=min(2 * multiprocessing.cpu_count() + 1, 8))
threads = env.int("GUNICORN_THREADS", default=1)
timeout = env.int("GUNICORN_TIMEOUT", default=60)
graceful_timeout = env.int("GUNICORN_GRACEFUL_TIMEOUT", default=30)
keepalive = env.int("GUNICORN_KEEPALIVE", default=5)
max_requests = env.int("GUNICORN_MAX_REQUESTS", default=1000)
max_requests_jitter = env.int("GUNICORN_MAX_REQUESTS_JITTER", default=max_requests // 10)
accesslog = env.str("GUNICORN_ACCESS_LOG", default="-")
errorlog = "-"
# Requests from the load balancer's address carry the client's in X-Forwarded-For (DJANGO_NUM_PROXIES).
forwarded_allow_ips = env.str("GUNICORN_FORWARDED_ALLOW_IPS", default="127.0.0.1")
proc_name = "bailanys"

# Polls of /health/ and /ready/ that succeed are not logged (a load balancer asks every second).
QUIET_PATHS = ("/health/", "/ready/")


class JsonAccessLogger(Logger):
    """One JSON object per request: time, method, path, query, status, bytes, duration, client, agent."""

    def access(self, resp, req, wsgi, request_time):
        if not self.access_log_enabled:
            return
        status = int(str(resp.status).split(None, 1)[0])
        path = wsgi.get("PATH_INFO", "")
        if path in QUIET_PATHS and status == 200:
            return
        entry = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "method": wsgi.get("REQUEST_METHOD"),
            "path": path,
            "query": wsgi.get("QUERY_STRING", ""),
            "status": status,
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "client": wsgi.get("HTTP_X_FORWARDED_FOR", wsgi.get("REMOTE_ADDR")),
            "user_agent": wsgi.get("HTTP_USER_AGENT", ""),
            "referer": wsgi.get("HTTP_REFERER", ""),
            "worker": os.getpid(),
        }
        self.access_log.info(json.dumps(entry, ensure_ascii=False))


logger_class = JsonAccessLogger
