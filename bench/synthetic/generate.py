"""Writing a run: the generator's batches, the accounts and the approved proposal that hold the records,
the checks before (vocabularies, real data), COPY in one transaction, and the content digest."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import time
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from bench import bulk
from bench.bulk import STAGE
from bench.synthetic.agreements import Agreements
from bench.synthetic.data import ORDER, SUMMARY_PREFIX, plan_counts, synthetic_summary
from bench.synthetic.events import Events
from bench.synthetic.organizations import Organizations
from bench.synthetic.parties import Parties
from bench.synthetic.persons import Persons
from bench.synthetic.places import Places
from bench.synthetic.rows import TABLES, Context, Rows, Run
from bench.synthetic.shapes import shape_of
from bench.synthetic.sources import Sources
from bench.synthetic.statistics import Statistics
from portal.models import AuditEntry
from records.models import Proposal, ProposalStatus, Record, Sphere
from records.workflow.indexing import facet_keys_rebuild
from records.workflow.publishing import allocate_ids

SYNTHETIC_AUTHOR = "synthetic-data"
SYSTEM_REVIEWER = "bailanys-system"
# Above this share of new rows in records_record, dropping and rebuilding indexes beats updating them.
REBUILD_SHARE = 0.3
# The records' publication times are spread over this span before the run.
HISTORY = dt.timedelta(days=5 * 365)
# The vocabulary terms each type's generator writes, by field; the schemas say which vocabulary a field uses.
VOCABULARY_CODES = {
    "place": Places.CODES,
    "organization": Organizations.CODES,
    "source": Sources.CODES,
    "agreement": Agreements.CODES,
    "event": Events.CODES,
    "statistic": Statistics.CODES,
}
# A refusal to write among real records counts them up to here (reading no further).
REAL_RECORDS_SHOWN = 1000


class SyntheticExists(Exception):
    """This seed was already generated here with another number of records."""


class RealDataPresent(Exception):
    """The database holds published records that are not synthetic (and writing there was not allowed)."""


@dataclass(frozen=True)
class GenerateResult:
    records: int
    seed: int
    proposal_id: int
    created: bool  # False: the same run was already here; nothing was written
    seconds: float
    counts: dict[str, int]


def batches(records: int, seed: int, ctx: Context, batch: int = 5000) -> Iterator[tuple[str, Rows]]:
    """(record type, rows) for every batch of the N records of `seed`, type by type; ids from `ctx`."""
    run = Run(records, seed, ctx)
    places = Places(run)
    organizations = Organizations(run, places)
    persons = Persons(run, organizations)
    parties = Parties(run, places, organizations, persons)
    makers: dict[str, Callable[[Rows, int], None]] = {
        "place": places.make,
        "organization": organizations.make,
        "person": persons.make,
        "source": Sources(run, places, organizations).make,
        "agreement": Agreements(run, parties).make,
        "event": Events(run, parties).make,
        "statistic": Statistics(run, parties).make,
    }
    for name in ORDER:
        first, count = run.start[name], run.counts[name]
        for offset in range(0, count, batch):
            rows = Rows()
            for n in range(first + offset, first + min(count, offset + batch)):
                makers[name](rows, n)
                rows.count += 1
            yield name, rows


def interleaved(ids: list[int], counts: dict[str, int], seed: int) -> list[int]:
    """Give synthetic record n its id so that the types are mixed through the id range, as records
    created over years would be, while each type's ids still grow with n (rows are written in id order).

    Records are made type by type (links need their targets first), but handing out ids in that order
    would put every statistic after every agreement: "the newest agreements" would then sit behind
    hundreds of thousands of newer records of other types, which no real database looks like.
    """
    slots = [name for name in ORDER for _ in range(counts[name])]
    random.Random(f"bailanys-synthetic-ids:{seed}").shuffle(slots)
    by_type: dict[str, list[int]] = {name: [] for name in ORDER}
    for record_id, name in zip(sorted(ids), slots, strict=True):
        by_type[name].append(record_id)
    return [record_id for name in ORDER for record_id in by_type[name]]


# ------------------------------------------------------------------ before writing


def synthetic_proposal(seed: int) -> Proposal | None:
    """The approved proposal that holds the synthetic records of `seed`, if they were generated here."""
    return (
        Proposal.objects.filter(
            author__username=SYNTHETIC_AUTHOR, summary__startswith=f"{SUMMARY_PREFIX} (seed {seed},"
        )
        .order_by("pk")
        .first()
    )


def synthetic_accounts() -> list:
    """The generator (author) and the system account that approves its proposal: nobody signs in as them."""
    accounts = []
    for username, display in ((SYNTHETIC_AUTHOR, "Synthetic data generator"), (SYSTEM_REVIEWER, "Bailanys (system)")):
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"display_name": display, "is_active": False}
        )
        if created or not user.is_system or user.is_active or user.has_usable_password():
            user.make_system()  # inactive, no password: nobody signs in as it
            user.save(update_fields=["is_system", "is_active", "password"])
        accounts.append(user)
    return accounts


def check_vocabularies() -> None:
    """Every term the generator writes is in the vocabulary its field takes terms from."""
    wanted: dict[type, set[str]] = {}
    for record_type, codes in VOCABULARY_CODES.items():
        for path, values in codes.items():
            wanted.setdefault(shape_of(record_type).vocabulary(path), set()).update(values)
    missing = []
    for model, codes in wanted.items():
        have = set(model.objects.filter(code__in=codes).values_list("code", flat=True))
        missing += [f"{model._meta.model_name}:{code}" for code in sorted(codes - have)]
    if missing:
        raise ValueError(f"The vocabularies lack terms the generator uses: {', '.join(missing)}.")


def refuse_real_data() -> None:
    """Raise RealDataPresent if a published record is not synthetic (such as the article's seed data).

    Cheap at any size: the query stops at the first REAL_RECORDS_SHOWN + 1 such records instead of
    counting them all (on synthetic data alone it reads the table once, before a load of minutes).
    """
    real = Record.objects.published().exclude(identifiers__has_key="synthetic")
    found = real.values("pk")[: REAL_RECORDS_SHOWN + 1].count()
    if found:
        how_many = f"more than {REAL_RECORDS_SHOWN:,}" if found > REAL_RECORDS_SHOWN else f"{found:,}"
        raise RealDataPresent(
            f"The database {connection.settings_dict['NAME']} holds {how_many} published records that are not "
            "synthetic (such as the seed data of load_seed); synthetic records would be mixed with them. "
            "Use another database, or allow it explicitly with --allow-real-data (allow_real_data=True)."
        )


# ------------------------------------------------------------------ writing


def synthetic_generate(
    *,
    records: int,
    seed: int,
    log=print,
    rebuild_indexes: bool | None = None,
    batch: int = 5000,
    allow_real_data: bool = False,
) -> GenerateResult:
    """Write N synthetic published records for `seed` in one transaction; skip if they are already here.

    Raises SyntheticExists if this seed was generated with another N, RealDataPresent if the database
    holds records that are not synthetic (unless `allow_real_data`), ValueError for bad arguments.
    `rebuild_indexes` (default: when the new rows are a large share of the table) drops and rebuilds
    indexes and foreign keys around the load; see bench/bulk.py.
    """
    started = time.perf_counter()
    counts = plan_counts(records)
    summary = synthetic_summary(records, seed)
    with transaction.atomic():
        with connection.cursor() as cursor:
            # One run per seed at a time; big statements below may take minutes.
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('bailanys-synthetic'), %s)", [seed % 2**31])
            cursor.execute("SET LOCAL statement_timeout = 0")
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            # The publishing INSERT sorts every staged row by id, and re-adding a foreign key joins two
            # whole tables: in memory rather than in many temporary files (this transaction only).
            cursor.execute("SET LOCAL work_mem = '256MB'")
        existing = synthetic_proposal(seed)
        if existing is not None:
            if existing.summary == summary:
                return GenerateResult(records, seed, existing.pk, False, time.perf_counter() - started, counts)
            raise SyntheticExists(
                f"Seed {seed} was already generated here with another number of records ({existing.summary!r}); "
                "use another seed or a fresh database."
            )
        if not allow_real_data:
            refuse_real_data()
        check_vocabularies()
        ctx = _context(records, seed, summary, counts)
        if rebuild_indexes is None:
            rebuild_indexes = records >= REBUILD_SHARE * (Record.objects.count() + records)
        _write(batches(records, seed, ctx, batch), records, rebuild_indexes=rebuild_indexes, log=log)
    return GenerateResult(records, seed, ctx.proposal_id, True, time.perf_counter() - started, counts)


def _context(records: int, seed: int, summary: str, counts: dict[str, int]) -> Context:
    """The approved proposal of the run (with its audit entry), and the ids of its records."""
    author, reviewer = synthetic_accounts()
    now = timezone.now()
    proposal = Proposal.objects.create(
        author=author,
        reviewer=reviewer,
        summary=summary,
        status=ProposalStatus.APPROVED,
        submitted_at=now,
        decided_at=now,
        decision_comment=f"Written by `manage.py generate_synthetic --records {records} --seed {seed}`.",
    )
    AuditEntry.objects.create(
        actor=reviewer,
        action=AuditEntry.Action.PROPOSAL_APPROVED,
        target=f"proposal:{proposal.pk}",
        detail={"synthetic": True, "seed": seed, "records": records},
    )
    ids = interleaved(allocate_ids(records), counts, seed)
    return Context(
        ids=ids,
        ids_max=max(ids),
        step=HISTORY / records,
        proposal_id=proposal.pk,
        author_id=author.pk,
        reviewer_id=reviewer.pk,
        summary=summary,
        now=now,
        sphere_order={code: i for i, code in enumerate(Sphere.objects.values_list("code", flat=True))},
    )


def _write(made: Iterator[tuple[str, Rows]], records: int, *, rebuild_indexes: bool, log) -> None:
    """COPY the rows, publish the staged records, and analyze the tables; progress in `log`."""
    tables = [name for name in TABLES if name != STAGE] + ["records_record"]
    with connection.cursor() as wrapper:
        cursor = wrapper.cursor
        bulk.stage_create(cursor)
        suspended = bulk.integrity_suspended(cursor, tables, log=log) if rebuild_indexes else nullcontext()
        # The views are refreshed once the tables are analyzed (bench/bulk.py views_deferred).
        with bulk.views_deferred(cursor, log=log):
            with suspended:
                done, shown, mark = 0, 0, time.perf_counter()
                copy_started = mark
                # Batch k is COPYed and its search fields computed while batch k + 1 is made.
                with bulk.copying(cursor, TABLES, after=lambda: bulk.stage_search(cursor)) as copy:
                    for record_type, rows in made:
                        copy(rows.tables)
                        done += rows.count
                        if done - shown >= max(10_000, records // 20) or done == records:
                            rate = (done - shown) / max(time.perf_counter() - mark, 1e-6)
                            log(f"{done:>11,} / {records:,} records made ({record_type}s; {rate:,.0f} records/s)")
                            shown, mark = done, time.perf_counter()
                log(f"wrote {records:,} records with their search fields in {time.perf_counter() - copy_started:.1f} s")
                mark = time.perf_counter()
                published = bulk.stage_publish(cursor)
                log(f"published {published:,} records in {time.perf_counter() - mark:.1f} s")
            mark = time.perf_counter()
            facet_keys_rebuild()  # the facet keys and counts publication keeps (records/workflow/indexing.py)
            log(f"derived their facet keys and counts in {time.perf_counter() - mark:.1f} s")
            cursor.execute(f"ANALYZE {', '.join(tables)}")


# ------------------------------------------------------------------ the digest


def synthetic_digest(seed: int) -> str:
    """SHA-256 of the content of `seed`'s records: revision snapshots, date bounds, place lists and search
    names, with record ids replaced by the records' synthetic numbers (ids depend on the database)."""
    pattern = f"{seed}-%"
    digest = hashlib.sha256()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, split_part(identifiers->>'synthetic', '-', 2)::int FROM records_record "
            "WHERE identifiers->>'synthetic' LIKE %s",
            [pattern],
        )
        number = dict(cursor.fetchall())

        def key(value):
            return f"#{number[value]}" if value in number else value

        cursor.execute(
            """
            SELECT split_part(r.identifiers->>'synthetic', '-', 2)::int AS n, r.record_type, r.date_lower,
                   r.date_upper, r.place_ids, r.search_names, v.snapshot
            FROM records_record r JOIN records_revision v ON v.record_id = r.id AND v.number = 1
            WHERE r.identifiers->>'synthetic' LIKE %s ORDER BY n
            """,
            [pattern],
        )
        for n, record_type, lower, upper, place_ids, search_names, snapshot in cursor:
            if isinstance(snapshot, str):
                snapshot = json.loads(snapshot)
            shape_of(record_type).map_refs(snapshot, key)
            line = [n, record_type, str(lower), str(upper), sorted(str(key(p)) for p in place_ids), search_names]
            line.append(snapshot)
            digest.update(json.dumps(line, sort_keys=True, ensure_ascii=False, default=str).encode())
            digest.update(b"\n")
    return digest.hexdigest()
