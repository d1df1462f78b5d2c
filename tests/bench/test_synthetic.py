"""Synthetic data: deterministic, valid by the same rules as real records, indexed as publishing indexes,
and found through the public API like any other record."""

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import F

from bench.synthetic import (
    SYNTHETIC_AUTHOR,
    SyntheticExists,
    plan_counts,
    synthetic_digest,
    synthetic_generate,
)
from records.dates import edtf
from records.models import Proposal, Record, RecordType, Revision
from records.workflow.indexing import records_reindex
from records.workflow.publishing import load_record, state_of, state_validate
from tests.records.test_view_tables import kept, recounted

N, SEED = 300, 7


class Rollback(Exception):
    pass


def generate(**kwargs):
    return synthetic_generate(**{"records": N, "seed": SEED, "log": lambda message: None} | kwargs)


def digest_of_a_run(**kwargs) -> str:
    """Generate in a savepoint, hash, roll back: the next run starts from the same database state."""
    try:
        with transaction.atomic():
            generate(**kwargs)
            digest = synthetic_digest(SEED)
            raise Rollback
    except Rollback:
        return digest


@pytest.fixture
def generated(db):
    return generate()


def derived(pk: int) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_names, search_vector::text, place_ids FROM records_record WHERE id = %s", [pk])
        return cursor.fetchone()


def test_it_writes_n_published_records_of_every_type_in_one_approved_proposal(generated):
    counts = plan_counts(N)
    assert Record.objects.published().count() == N
    for record_type in RecordType.values:
        assert Record.objects.filter(record_type=record_type).count() == counts[record_type] > 0
    proposal = Proposal.objects.get(pk=generated.proposal_id)
    assert proposal.status == "approved"
    assert proposal.author.username == SYNTHETIC_AUTHOR
    assert proposal.reviewer != proposal.author
    assert not proposal.author.is_active
    assert not proposal.author.has_usable_password()
    assert "Synthetic data" in proposal.summary
    assert Revision.objects.filter(proposal=proposal, number=1, action="create").count() == N
    # Published one after another over the years: "recently changed" lists look as they would.
    times = list(Record.objects.order_by("id").values_list("updated_at", flat=True))
    assert times == sorted(times)
    assert (times[-1] - times[0]).days > 365
    assert not Revision.objects.filter(proposal=proposal).exclude(created_at=F("record__created_at")).exists()
    synthetic = Record.objects.values_list("identifiers__synthetic", flat=True)
    assert sorted(synthetic) == sorted(f"{SEED}-{n}" for n in range(N))


def test_every_record_is_valid_and_its_snapshot_is_its_published_state(generated):
    shapes = set()
    for record in Record.objects.order_by("id"):
        loaded = load_record(record.pk, record.record_type)
        snapshot = Revision.objects.get(record=record, number=1).snapshot
        assert state_of(loaded) == snapshot, record.pk
        canonical, _ = state_validate(record.record_type, snapshot, record_id=record.pk)
        assert canonical == snapshot, record.pk
        if record.date:
            bounds = edtf.parse(record.date)
            assert (record.date_lower, record.date_upper) == (bounds.lower, bounds.upper), record.date
            shapes.add("?" if "?" in record.date else "X" if "X" in record.date else "/" if "/" in record.date else "")
        else:
            assert record.date_lower is record.date_upper is None
    assert {"", "/", "?", "X"} <= shapes


def test_search_fields_are_those_publishing_computes(generated):
    for record in Record.objects.order_by("id"):
        before = derived(record.pk)
        records_reindex([load_record(record.pk, record.record_type)])
        assert derived(record.pk) == before, record.pk


@pytest.mark.parametrize("rebuild_indexes", [True, False])
def test_the_map_timeline_and_network_tables_hold_the_generated_records(db, rebuild_indexes):
    """The views' triggers sit out the bulk load; one refresh afterwards leaves what a recount gives."""
    generate(rebuild_indexes=rebuild_indexes)
    rows = kept()
    assert rows == recounted()
    assert rows["records_networkend"] and rows["records_timelineitem"] and rows["records_mappair"]
    with connection.cursor() as cursor:  # and the triggers are back for the next publication
        cursor.execute("SELECT tgenabled, count(*) FROM pg_trigger WHERE tgname LIKE 'publication_views_%%' GROUP BY 1")
        assert dict(cursor.fetchall()) == {"O": 15}  # 15 triggers, every one enabled


def test_same_number_and_seed_give_the_same_content_whatever_the_ids(db):
    first = digest_of_a_run(rebuild_indexes=True)
    second = digest_of_a_run(rebuild_indexes=False)  # later ids, and the plain path without rebuilding
    assert first == second
    try:
        with transaction.atomic():
            synthetic_generate(records=N, seed=SEED + 1, log=lambda message: None)
            assert synthetic_digest(SEED + 1) != first
            raise Rollback
    except Rollback:
        pass


def test_running_again_skips_and_another_number_is_refused(generated):
    again = generate()
    assert not again.created
    assert again.proposal_id == generated.proposal_id
    assert Record.objects.count() == N
    with pytest.raises(SyntheticExists, match="another number of records"):
        synthetic_generate(records=N + 50, seed=SEED, log=lambda message: None)
    assert Record.objects.count() == N


def test_an_empty_database_and_one_of_synthetic_records_only_are_written_to(db):
    # Another database holding real records is refused: see test_real_data_guard.py.
    assert generate(records=100, seed=1).created
    second = generate(records=100, seed=2)  # another seed, among synthetic records only
    assert second.created
    assert Record.objects.count() == 200
    again = generate(records=100, seed=2)  # the same run again: skipped, as always
    assert not again.created
    assert again.proposal_id == second.proposal_id
    assert Record.objects.count() == 200


def test_the_command_reports_and_skips_a_second_run(db, capsys):
    call_command("generate_synthetic", records=N, seed=SEED)
    out = capsys.readouterr().out
    assert f"Wrote {N} records" in out
    assert "agreement" in out
    call_command("generate_synthetic", records=N, seed=SEED)
    assert "Already here" in capsys.readouterr().out
    assert Record.objects.count() == N


def test_generated_records_are_found_through_the_api_like_any_other(generated, api):
    agreements = api.get("/api/v1/agreements/", {"country": "KZ", "page_size": 500}).json()["results"]
    assert agreements
    assert all(item["type"] == "agreement" for item in agreements)

    city = Record.objects.filter(record_type="place", as_place__kind="city").order_by("id").first().as_place
    found = api.get("/api/v1/places/", {"q": city.label}).json()["results"]
    assert city.pk in [item["id"] for item in found]
    misspelt = city.label[:-1] + ("a" if city.label[-1] != "a" else "e")
    assert city.pk in [item["id"] for item in api.get("/api/v1/places/", {"q": misspelt}).json()["results"]]
    cyrillic = city.labels["ru"]
    assert city.pk in [item["id"] for item in api.get("/api/v1/places/", {"q": cyrillic}).json()["results"]]

    # Records about a city are found under its region.
    region = city.parent_id
    in_city = Record.objects.filter(place_ids__contains=[city.pk]).exclude(pk=city.pk).first()
    assert in_city is not None
    plural = {
        "organization": "organizations",
        "person": "persons",
        "agreement": "agreements",
        "event": "events",
        "statistic": "statistics",
    }[in_city.record_type]
    ids = []
    url = f"/api/v1/{plural}/?place={region}&page_size=500"
    while url:
        page = api.get(url).json()
        ids += [item["id"] for item in page["results"]]
        url = page["next"]
    assert in_city.pk in ids

    detail = api.get(f"/api/v1/{plural}/{in_city.pk}/").json()
    assert detail["identifiers"] == {"synthetic": in_city.identifiers["synthetic"]}
    history = api.get(f"/api/v1/{plural}/{in_city.pk}/history/").json()["results"]
    assert [(item["number"], item["action"]) for item in history] == [(1, "create")]


def test_lists_of_linked_records_take_a_fixed_number_of_queries(generated, api, django_assert_max_num_queries):
    # Parties, participants and subjects carry a role: without prefetching it, each link cost a query.
    for plural in ("places", "organizations", "persons", "agreements", "events", "statistics", "sources"):
        with django_assert_max_num_queries(10):
            response = api.get(f"/api/v1/{plural}/", {"page_size": 100})
        assert response.status_code == 200
        assert len(response.json()["results"]) >= 10, plural
