"""The article's data: loaded through the workflow, complete, faithful, and loaded only once.

The seed file is loaded once per module (and rolled back afterwards); each test then runs in its own
savepoint and reads records by their seed key.
"""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from records.content.registry import registry
from records.models import Proposal, ProposalItem, ProposalStatus, Record, Revision
from records.reads.search import search_filter
from records.workflow.publishing import load_record, state_of
from records.workflow.seeding import DEFAULT_PATH, IMPORTER, SEED_REVIEWER
from tests.records.published import assert_published_as_one_at_a_time
from tests.representations import serialized

# The load is the slow part: keep this module on one xdist worker so that it happens once.
pytestmark = pytest.mark.xdist_group("seed")

EXPECTED_COUNTS = {
    "place": 86,
    "organization": 87,
    "person": 22,
    "agreement": 40,
    "event": 35,
    "statistic": 61,
    "source": 23,
}


@pytest.fixture
def seed(seeded, db):
    """Published records of the seed file by key: seed("place/kurgan-region") -> its state JSON."""
    ids = dict(
        ProposalItem.objects.filter(proposal__author__username=IMPORTER[0], action="create").values_list(
            "ref", "record_id"
        )
    )

    def state(key: str) -> dict:
        record = load_record(ids[f"${key}"])
        return {**state_of(record), "id": record.pk, "date_lower": record.date_lower, "date_upper": record.date_upper}

    state.id = lambda key: ids[f"${key}"]
    return state


def party_ids(state: dict) -> dict[int, str]:
    return {party["id"]: party["role"] for party in state["parties"]}


# ------------------------------------------------------------------ the load itself


def test_it_loads_every_entry_as_one_approved_proposal(seeded, db):
    assert seeded.created == sum(EXPECTED_COUNTS.values())
    proposal = Proposal.objects.get(pk=seeded.proposal_id)
    assert proposal.status == ProposalStatus.APPROVED
    assert proposal.author.username == IMPORTER[0]
    assert proposal.reviewer.username == SEED_REVIEWER[0]
    assert proposal.items.count() == seeded.created


def test_its_one_approval_publishes_what_publishing_each_record_alone_would(seeded, db):
    assert_published_as_one_at_a_time(Record.objects.order_by("id").values_list("id", flat=True))


def test_it_counts_the_records_of_each_type(seeded, db):
    counts = {
        record_type: Record.objects.published().filter(record_type=record_type).count()
        for record_type in EXPECTED_COUNTS
    }
    assert counts == EXPECTED_COUNTS


def test_every_record_is_revision_1_by_the_importer_approved_by_another_account(seeded, db):
    revisions = Revision.objects.filter(proposal_id=seeded.proposal_id)
    assert revisions.count() == seeded.created
    assert set(revisions.values_list("number", "action")) == {(1, "create")}
    assert set(revisions.values_list("author__username", "reviewer__username")) == {(IMPORTER[0], SEED_REVIEWER[0])}
    assert not Record.objects.exclude(revision=1).exists()


def test_the_system_accounts_cannot_sign_in(seeded, db):
    for username, _name, role in (IMPORTER, SEED_REVIEWER):
        user = get_user_model().objects.get(username=username)
        assert not user.has_usable_password()
        assert user.has_role(role)


def test_every_record_cites_evidence_and_every_reference_is_cited(seeded, db):
    uncited = Record.objects.published().filter(citations__isnull=True)
    assert list(uncited.values_list("label", flat=True)) == [
        "History of regional relations in foreign political activity of the Republic of Kazakhstan (1991-2014)"
    ]
    never_cited = Record.objects.published().filter(record_type="source", as_source__citing__isnull=True)
    assert never_cited.count() == 0


def test_a_second_load_changes_nothing(seeded, db, capsys):
    revisions, proposals = Revision.objects.count(), Proposal.objects.count()
    call_command("load_seed")
    assert "Nothing to load" in capsys.readouterr().out
    assert (Revision.objects.count(), Proposal.objects.count()) == (revisions, proposals)


def test_it_loads_only_new_entries_and_refers_to_loaded_ones_by_id(seeded, seed, tmp_path):
    path = with_entries(
        tmp_path,
        {
            "key": "place/kurgan-city-district",
            "type": "place",
            "data": {"name": "A new district", "kind": "district", "parent": "$place/kurgan"},
        },
    )
    call_command("load_seed", file=path)
    new = Record.objects.get(label="A new district")
    assert new.as_place.parent_id == seed.id("place/kurgan")
    assert Record.objects.published().count() == sum(EXPECTED_COUNTS.values()) + 1


def test_a_broken_entry_fails_naming_it_and_loads_nothing(seeded, db, tmp_path):
    path = with_entries(
        tmp_path,
        {"key": "place/testland", "type": "place", "data": {"name": "Testland", "kind": "country"}},
        {
            "key": "agr/broken",
            "type": "agreement",
            "data": {
                "title": "A broken agreement",
                "kind": "agreement",
                "date": "2001-13-45",
                "parties": [{"id": "$place/testland"}, {"id": "$place/nowhere"}],
            },
        },
    )
    records, proposals = Record.objects.count(), Proposal.objects.count()
    with pytest.raises(CommandError) as exc:
        call_command("load_seed", file=path)
    message = str(exc.value)
    assert "nothing was loaded" in message
    assert "agr/broken (agreement): date: '2001-13-45' is not a valid EDTF date" in message
    assert "agr/broken (agreement): parties[1].id: '$place/nowhere' names no new record" in message
    assert "place/testland" not in message
    assert (Record.objects.count(), Proposal.objects.count()) == (records, proposals)
    assert not Record.objects.filter(label="Testland").exists()


def test_a_malformed_file_is_refused_before_anything_is_proposed(db, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        yaml.safe_dump(
            {
                "entries": [
                    {"key": "Place One", "type": "place", "data": {}},
                    {"key": "place/two", "type": "castle", "data": {}},
                    {"key": "place/three", "type": "place"},
                ]
            }
        )
    )
    proposals = Proposal.objects.count()
    with pytest.raises(CommandError) as exc:
        call_command("load_seed", file=path)
    message = str(exc.value)
    assert "3 entries are invalid" in message
    assert "Bad key 'Place One'" in message
    assert "place/two: Unknown type 'castle'" in message
    assert "entry #3: Each entry has exactly `key`, `type` and `data`." in message
    assert Proposal.objects.count() == proposals


def with_entries(tmp_path: Path, *entries: dict) -> Path:
    """A copy of the seed file with extra entries at the end."""
    document = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))
    document["entries"].extend(entries)
    path = tmp_path / "article.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    return path


# ------------------------------------------------------------------ facts of the article


def test_the_omsk_border_agreement(seed):
    agreement = seed("agr/omsk-border-1995")
    assert agreement["date"] == "1995?-01-26"
    assert agreement["date_text"] == "(January 26), year not stated"
    assert agreement["certainty"] == "uncertain"
    assert agreement["place_signed"] == seed.id("place/omsk")
    assert party_ids(agreement) == {
        seed.id("org/government-russia"): "party",
        seed.id("org/government-kazakhstan"): "party",
        seed.id("person/bolshakov"): "signatory",
        seed.id("person/mette"): "signatory",
    }
    assert {"source": seed.id("source/ref09"), "field": "", "locator": "p. 81", "quote": ""}.items() <= next(
        c for c in agreement["citations"] if c["source"] == seed.id("source/ref09")
    ).items()


def test_the_omsk_north_kazakhstan_agreement_of_2001(seed):
    agreement = seed("agr/omsk-nkr-2001")
    assert agreement["date"] == "2001-09-03"
    assert agreement["level"] == "interregional"
    assert set(party_ids(agreement)) == {seed.id("org/omsk-administration"), seed.id("org/akimat-north-kazakhstan")}
    assert {"trade", "economic", "scientific", "technical", "humanitarian"} <= set(agreement["spheres"])


def test_the_free_trade_agreement_with_ukraine(seed):
    agreement = seed("agr/kz-ua-free-trade-1994")
    assert (agreement["date"], agreement["level"], agreement["spheres"]) == (
        "1994-09-17",
        "intergovernmental",
        ["trade"],
    )
    assert set(party_ids(agreement)) == {seed.id("place/kazakhstan"), seed.id("place/ukraine")}


def test_the_purchase_of_karmet_by_ispat(seed):
    agreement = seed("agr/ispat-karmet-1995")
    assert (agreement["value_amount"], agreement["value_currency"], agreement["date"]) == ("200000000", "USD", "1995")
    assert party_ids(agreement) == {seed.id("org/ispat-international"): "buyer", seed.id("org/karmet"): "subject"}


def test_the_czech_insulation_board_agreement(seed):
    agreement = seed("agr/techstroy-rasl-2014")
    assert (agreement["value_amount"], agreement["value_currency"]) == ("8950000", "EUR")
    assert agreement["date"] == "[2014-09-16..2014-09-19]"
    assert agreement["id"] in seed("event/plzen-delegation-2014")["agreements"]


def test_the_memorandums_of_the_tourism_exhibition_of_2014(seed):
    exhibition = seed("event/ekr-tourism-exhibition-2014")
    assert (exhibition["date"], exhibition["place"]) == ("2014-02-11", seed.id("place/ust-kamenogorsk"))
    assert set(exhibition["agreements"]) == {
        seed.id("agr/ekr-machaon-2014"),
        seed.id("agr/irtysh-kanapyanov-2014"),
        seed.id("agr/meridian-xinjiang-visa-2014"),
        seed.id("agr/tic-zavkhan-2014"),
    }
    assert seed("agr/ekr-machaon-2014")["kind"] == "memorandum"


def test_the_implausible_kurgan_turnover_is_kept_as_printed_with_a_warning(seed):
    figure = seed("stat/nkr-kurgan-turnover-2001-01")
    assert (figure["value"], figure["currency"], figure["indicator"]) == ("1376.1", "USD", "trade_turnover")
    assert figure["date"] == "2001-01/2001-02"
    assert (figure["date_lower"], figure["date_upper"]) == (dt.date(2001, 1, 1), dt.date(2001, 2, 28))
    assert "thousand US dollars" in figure["reliability_note"]
    assert Decimal(seed("stat/nkr-kurgan-turnover-2001")["value"]) == Decimal("12800000")


def test_the_repatriates_of_1998(seed):
    families, persons = seed("stat/ekr-repatriates-1998"), seed("stat/ekr-repatriate-persons-1998")
    assert (families["value"], families["unit"], families["date"]) == ("1074", "families", "1998-09-01")
    assert (persons["value"], persons["unit"]) == ("15340", "persons")
    assert "implausibly high" in families["reliability_note"]
    budget = seed("stat/ekr-repatriate-budget-1998")
    assert (budget["value"], budget["currency"], budget["date"]) == ("61500000", "KZT", "1998")


def test_qualified_figures(seed):
    german = seed("stat/german-companies")
    assert (german["value"], german["value_qualifier"]) == ("70", "more_than")
    offices = seed("stat/border-area-enterprises-2006")
    assert (offices["value"], offices["value_qualifier"]) == ("400", "approximate")


def test_fuzzy_dates_are_honest_intervals(seed):
    programme = seed("event/ekr-repatriate-programme")
    assert (programme["date"], programme["date_text"]) == ("1995/1999", "in the second half of the 90s of XX century")
    engines = seed("agr/small-engines-2001")
    assert (engines["date"], engines["date_upper"]) == ("2001-01/2001-03", dt.date(2001, 3, 31))
    capsule = seed("event/capsule-ceremony-2014")
    assert (capsule["date"], capsule["date_text"], capsule["certainty"]) == (
        "2014-09-17",
        "On September 17 this year",
        "uncertain",
    )


def test_an_archival_reference_is_split_into_archive_fund_series_file_pages(seed):
    source = seed("source/ref05")
    assert source["kind"] == "archival_file"
    assert source["archive"] == seed.id("org/afp-rf")
    assert (source["fund"], source["series"], source["file"], source["pages"]) == ("897", "4", "13", "59, 60, 63")
    assert seed("source/ref13")["archive"] == seed.id("org/saekr")
    assert (seed("source/ref13")["fund"], seed("source/ref13")["file"]) == ("1425", "71")


def test_the_archives_carry_their_abbreviations(seed):
    acronyms = {seed(key)["acronym"] for key in ("org/afp-rf", "org/ap-rk", "org/saekr", "org/sankr")}
    assert acronyms == {"AFP RF", "AP RK", "SAEKR", "SANKR"}


def test_a_journal_reference(seed):
    source = seed("source/ref16")
    assert [(a["family"], a["given"]) for a in source["authors"]] == [("Haydanka", "Y.")]
    assert (source["container_title"], source["volume"], source["issue"], source["pages"], source["date"]) == (
        "Public Policy and Administration",
        "19",
        "2",
        "253-265",
        "2020",
    )


def test_the_article_is_a_source_with_its_five_authors_and_no_invented_journal(seed):
    article = seed("source/article")
    assert [author["family"] for author in article["authors"]] == [
        "Karassayev",
        "Yensenov",
        "Naimanbayev",
        "Oskembay",
        "Ermukhanova",
    ]
    assert article["container_title"] == ""
    assert "names no journal" in article["certainty_note"]


def test_places_have_codes_coordinates_parents_and_history(seed):
    region = seed("place/east-kazakhstan")
    assert (region["iso_code"], region["parent"]) == ("KZ-63", seed.id("place/kazakhstan"))
    assert region["predecessors"][0]["id"] == seed.id("place/semipalatinsk-region")
    assert (region["predecessors"][0]["kind"], region["predecessors"][0]["date"]) == ("merged", "1997-05-03")
    city = seed("place/ust-kamenogorsk")
    assert (city["parent"], city["latitude"], city["longitude"]) == (
        seed.id("place/east-kazakhstan"),
        "49.9483",
        "82.6275",
    )
    assert (city["names"]["ru"], city["names"]["kk"]) == ("Усть-Каменогорск", "Өскемен")
    assert seed("place/kazakhstan")["identifiers"] == {"wikidata": "Q232"}


def test_a_person_with_a_position(seed):
    governor = seed("person/slajs")
    assert "Vaclav Schleis" in governor["aliases"]
    assert governor["positions"][0]["organization"] == seed.id("org/plzen-region-authority")
    assert governor["positions"][0]["title"] == "Governor (hejtman) of the Plzeň Region"


def test_sub_events_are_part_of_their_event(seed):
    assert seed("event/ekr-culture-days-tacheng-2014")["part_of"] == seed.id("event/nauryz-tacheng-2014")
    assert seed("event/pztm-meeting-1999")["part_of"] == seed.id("event/kurgan-delegation-1999")


def test_citations_give_the_reference_pages_and_the_article_paragraph(seed):
    visit = seed("event/kurgan-delegation-1999")
    locators = {(c["source"], c["locator"]) for c in visit["citations"]}
    assert locators == {
        (seed.id("source/article"), "Results and discussion, para. 12"),
        (seed.id("source/ref18"), "pp. 31-32"),
    }


@pytest.mark.parametrize(
    ("spelling", "key"),
    [
        ("Korgan", "place/kurgan-region"),
        ("Plzensk region", "place/plzen-region"),
        ("Dolnosilez", "place/lower-silesia"),
        ("Volikopolskoe", "place/greater-poland"),
        ("Bukhtarma Reservoi", "place/bukhtarma-reservoir"),
        ("Oskemen", "place/ust-kamenogorsk"),
        ("Shaueshek", "place/tacheng"),
        ("Koktugai", "place/fuyun-county"),
        ("Durbyzhyn", "place/emin-county"),
        ("Carmet", "org/karmet"),
        ("Ispad International", "org/ispat-international"),
    ],
)
def test_the_articles_spellings_find_the_proper_records(seed, spelling, key):
    found = search_filter(Record.objects.published(), spelling).order_by("-search_rank")
    assert seed.id(key) in list(found.values_list("pk", flat=True)[:3])


def test_the_api_serves_every_record_of_the_article_as_its_serializer_gives_it(seed, api):
    """The read model's bodies, stored at the load's approval, in the three languages."""
    records = Record.objects.filter(status="published").order_by("pk")
    assert records.count() > 300
    for record in records:
        plural = registry.get(record.record_type).plural
        for language in ("en", "ru", "kk"):
            response = api.get(f"/api/v1/{plural}/{record.pk}/", HTTP_ACCEPT_LANGUAGE=language)
            assert response.content == serialized(record, language), (record.pk, language)
