"""Facts about the machine and its processes that belong beside a benchmark's figures."""

from __future__ import annotations

import os
import platform
import subprocess
import time
from pathlib import Path
from typing import Any

import gunicorn
from django.conf import settings
from django.db import connection


def memory_of(pids: list[int]) -> dict[str, float]:
    """Resident (RSS) and proportional (PSS) memory of processes, MiB: each worker's and the largest."""
    workers = []
    for pid in pids:
        try:
            text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        kb = {line.split(":")[0]: int(line.split()[1]) for line in text.splitlines()[1:] if line.split()[1:2]}
        workers.append(
            {"pid": pid, "rss_mib": round(kb.get("Rss", 0) / 1024, 1), "pss_mib": round(kb.get("Pss", 0) / 1024, 1)}
        )
    return {
        "workers": workers,
        "max_rss_mib": max((w["rss_mib"] for w in workers), default=0.0),
        "max_pss_mib": max((w["pss_mib"] for w in workers), default=0.0),
    }


def git_commit() -> dict[str, Any]:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=settings.BASE_DIR, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    return {"commit": git("rev-parse", "HEAD"), "dirty": bool(git("status", "--porcelain", "--untracked-files=no"))}


def machine_facts() -> dict[str, Any]:
    cpu = ""
    if Path("/proc/cpuinfo").exists():
        cpu = next(
            (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
             if line.startswith("model name")),
            "",
        )  # fmt: skip
    memory_gib = 0.0
    if Path("/proc/meminfo").exists():
        memory_gib = round(int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024, 1)
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    with connection.cursor() as cursor:
        cursor.execute("SELECT version(), current_setting('shared_buffers'), current_setting('work_mem')")
        version, shared_buffers, work_mem = cursor.fetchone()
        cursor.execute("SELECT pg_database_size(current_database())")
        size = cursor.fetchone()[0]
        cursor.execute("SELECT record_type, count(*) FROM records_record GROUP BY 1 ORDER BY 2 DESC")
        counts = dict(cursor.fetchall())
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": memory_gib,
        "python": platform.python_version(),
        "gunicorn": gunicorn.__version__,
        "wrk": (wrk.stdout or wrk.stderr).split(" [")[0].strip(),
        "postgresql": version.split(" on ")[0],
        "shared_buffers": shared_buffers,
        "work_mem": work_mem,
        "database": connection.settings_dict["NAME"],
        "database_mib": round(size / 1024 / 1024),
        "records": sum(counts.values()),
        "records_by_type": counts,
        **git_commit(),
    }


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def now_utc() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
