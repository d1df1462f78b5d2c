"""Record pages: every field, related records, evidence, "cite this", history link, tombstones."""

import json
import re
from html import unescape

import pytest

from records.reads import related
from records.workflow import review
from tests.factories import propose_update, publish, staff_pair
from tests.public.conftest import withdraw, withdrawn_before_links_were_checked

RECORDS = [
    "kz",
    "east",
    "oskemen",
    "akimat",
    "archive",
    "governor",
    "article",
    "file",
    "agreement",
    "event",
    "statistic",
]


def body(response) -> str:
    return unescape(response.content.decode())


@pytest.mark.parametrize("name", RECORDS)
@pytest.mark.parametrize("role", [None, "researcher", "reviewer"])
def test_every_record_page_answers_every_role(world, reader, signed_in, request, name, role):
    record = getattr(world, name)
    client = reader if role is None else signed_in(request.getfixturevalue(role))
    response = client.get(record.get_absolute_url())
    assert response.status_code == 200
    page = body(response)
    assert record.display_label in page
    assert f'href="{record.get_absolute_url()}history/"' in page
    assert "@example.org" not in page


def test_readers_get_no_edit_links(world, reader, signed_in, newcomer):
    for client in (reader, signed_in(newcomer)):
        page = body(client.get(world.agreement.get_absolute_url()))
        assert "/edit/" not in page
        assert "/withdraw/" not in page


@pytest.mark.parametrize("role", ["researcher", "reviewer"])
def test_researchers_and_reviewers_may_propose_changes(world, signed_in, request, role):
    page = body(signed_in(request.getfixturevalue(role)).get(world.agreement.get_absolute_url()))
    assert f'href="/agreements/{world.agreement.pk}/edit/"' in page
    assert f'href="/agreements/{world.agreement.pk}/withdraw/"' in page


def test_an_agreement_page_shows_every_field(world, reader):
    page = body(reader.get(world.agreement.get_absolute_url()))
    for text in (
        "interregional",
        "3 December 1999",
        "1999-12-03",  # the EDTF itself
        "In the source: “3 December 1999”",
        "Соглашение о торгово-экономическом",
        "Signed during the visit of the Altai delegation",
        "Days of Culture of Altai Krai in Ust-Kamenogorsk",  # the event it was signed at
    ):
        assert text in page, text
    assert f'<a href="/places/{world.oskemen.pk}/">Ust-Kamenogorsk</a>' in page  # signed at
    assert f'<a href="/places/{world.east.pk}/">East Kazakhstan Region</a>' in page  # a party
    assert 'href="/agreements/?sphere=trade"' in page


def test_evidence_shows_source_locator_and_quote(world, reader):
    page = body(reader.get(world.agreement.get_absolute_url()))
    evidence = page[page.index('id="evidence-title"') :]
    assert f'href="/sources/{world.article.pk}/"' in evidence
    assert "p. 6" in evidence
    assert "<blockquote>an agreement on cooperation was signed</blockquote>" in evidence


def test_uncertain_and_disputed_marks_on_records_and_links(world, reader):
    page = body(reader.get(world.xinjiang_agreement.get_absolute_url()))
    assert "mark-uncertain" in page
    assert "Only one source mentions the memorandum." in page
    assert "mark-disputed" in page
    assert "Or the city of Urumqi." in page
    assert "2005 (uncertain)" in page


def test_cite_this_record_points_at_the_revision_permalink(world, reader):
    page = body(reader.get(world.agreement.get_absolute_url()))
    permalink = f"http://testserver/agreements/{world.agreement.pk}/revisions/1/"
    assert f'<a href="{permalink}">' in page
    assert f"{permalink} (accessed" in page  # the plain-text citation
    assert f"@misc{{bailanys{world.agreement.pk}r1," in page  # BibTeX
    csl = json.loads(re.search(r'<pre id="cite-csl" tabindex="0">(.*?)</pre>', page, re.S).group(1))
    assert csl["URL"] == permalink
    assert csl["version"] == "revision 1"


def test_identifiers_link_to_wikidata_and_geonames(world, reader):
    page = body(reader.get(world.oskemen.get_absolute_url()))
    assert 'href="https://www.wikidata.org/wiki/Q191280"' in page
    assert 'href="https://www.geonames.org/1520316"' in page
    assert "Oskemen" in page  # alias
    assert '<span lang="kk">Өскемен</span>' in page


def test_a_place_page_shows_its_surroundings(world, reader):
    page = body(reader.get(world.east.get_absolute_url()))
    assert f'<a href="/places/{world.kz.pk}/">Kazakhstan</a>' in page  # parent
    assert f'<a href="/places/{world.altai.pk}/">Altai Krai</a>' in page  # border
    assert f'<a href="/places/{world.oskemen.pk}/">Ust-Kamenogorsk</a>' in page  # within
    assert f'<a href="/organizations/{world.akimat.pk}/">Akimat of East Kazakhstan Region</a>' in page
    assert "120,500,000" in page  # a figure about it
    assert "49.948" in page


def test_borders_read_both_ways(world, reader):
    page = body(reader.get(world.altai.get_absolute_url()))
    fields = page[page.index('id="about-title"') : page.index("</dl>")]
    assert f'<a href="/places/{world.east.pk}/">East Kazakhstan Region</a>' in fields


def partnership_groups(page: str) -> dict[str, str]:
    section = page[page.index('id="partners-title"') :]
    section = section[: section.index('id="children-title"')] if 'id="children-title"' in section else section
    parts = re.split(r'<h3 id="partner-\d+">', section)[1:]
    return {part.split("<span", 1)[0].strip(): part for part in parts}


def test_place_partnerships_are_grouped_by_partner_country_and_region_in_date_order(world, reader):
    groups = partnership_groups(body(reader.get(world.east.get_absolute_url())))
    assert list(groups) == ["Russia", "China"]  # most links first
    russia = groups["Russia"]
    assert "Altai Krai" in russia
    assert russia.index(world.agreement.label) < russia.index(world.event.display_label)
    assert "2 links, 1999–2001" in russia
    assert "Xinjiang Uygur Autonomous Region" in groups["China"]
    assert "Kazakhstan" not in groups  # the place's own side is not its partner


def test_a_city_shares_in_its_partnerships_only_where_it_takes_part(world, reader):
    page = body(reader.get(world.oskemen.get_absolute_url()))
    assert "No agreement or event with a partner elsewhere is recorded yet." in page


def test_a_country_page_groups_partners_abroad(world, reader):
    groups = partnership_groups(body(reader.get(world.kz.get_absolute_url())))
    assert set(groups) == {"Russia", "China"}
    assert world.kurgan_agreement.label in groups["Russia"]


def test_an_organization_page_lists_its_agreements_people_and_holdings(world, reader):
    akimat = body(reader.get(world.akimat.get_absolute_url()))
    assert world.xinjiang_agreement.label in akimat
    assert "Vitaly Mette" in akimat
    archive = body(reader.get(world.archive.get_absolute_url()))
    assert world.file.label in archive
    assert "GAVKO" in archive


def test_a_person_page_lists_positions(world, reader):
    page = body(reader.get(world.governor.get_absolute_url()))
    assert "Akim of East Kazakhstan Region" in page
    assert "1997 – 2003" in page
    assert '<span lang="ru">Виталий Метте</span>' in page


def test_an_event_page_lists_participants_and_agreements(world, reader):
    page = body(reader.get(world.event.get_absolute_url()))
    assert "September 2001" in page
    assert "guest" in page
    assert "host" in page
    assert world.agreement.label in page


def test_a_statistic_page_shows_value_unit_and_reliability(world, reader):
    page = body(reader.get(world.statistic.get_absolute_url()))
    assert "about" in page
    assert "120,500,000" in page
    assert "USD" in page
    assert "Rounded in the source." in page
    assert "supports: value" in page


def test_a_source_page_lists_everything_that_cites_it(world, reader):
    page = body(reader.get(world.article.get_absolute_url()))
    cited = page[page.index('id="cited-by-title"') :]
    for record in (world.agreement, world.event, world.statistic):
        assert f'href="{record.get_absolute_url()}"' in cited
    assert "p. 7" in cited
    assert "Nurpeisova, A." in page
    assert "Bulletin of KazNU" in page
    assert "@article{" in page  # the source's own BibTeX


def test_cited_by_pages_are_bounded_and_walkable(world, reader, monkeypatch):
    monkeypatch.setattr(related, "CITED_BY_PAGE_SIZE", 2)
    first = body(reader.get(world.article.get_absolute_url()))
    after = re.search(r'href="\?after=(\d+)#cited-by-title"', first).group(1)
    second = body(reader.get(f"{world.article.get_absolute_url()}?after={after}"))
    assert f'href="{world.statistic.get_absolute_url()}"' in second
    assert f'href="{world.agreement.get_absolute_url()}"' not in second.split('id="cited-by-title"')[1]


def test_an_archival_file_shows_where_it_is_kept(world, reader):
    page = body(reader.get(world.file.get_absolute_url()))
    assert "fund 1, series 2, file 145" in page
    assert world.archive.label in page


def test_a_withdrawn_record_answers_410_with_a_tombstone(world, reader):
    withdraw(world.kurgan_agreement, summary="Duplicate of agreement 15")
    response = reader.get(world.kurgan_agreement.get_absolute_url())
    assert response.status_code == 410
    page = body(response)
    assert world.kurgan_agreement.label in page
    assert "revision 2" in page
    assert "Duplicate of agreement 15" in page
    assert f'href="/agreements/{world.kurgan_agreement.pk}/history/"' in page


def test_links_to_withdrawn_records_say_so(world, reader):
    withdrawn_before_links_were_checked(world.pavlodar)
    page = body(reader.get(world.kurgan_agreement.get_absolute_url()))
    assert "mark-withdrawn" in page


@pytest.mark.parametrize(
    "path",
    ["/agreements/999999/", "/agreements/99999999999999999999999/", "/places/0/", "/agreements/abc/"],
)
def test_unknown_ids_are_404(world, reader, path):
    assert reader.get(path).status_code == 404


def test_a_record_is_found_only_under_its_own_type(world, reader):
    assert reader.get(f"/agreements/{world.east.pk}/").status_code == 404


def test_pending_and_rejected_proposals_never_show(world, reader, researcher, reviewer):
    pending = propose_update(world.east, researcher, name="Pending Secret Name", notes="Pending secret note")
    rejected = propose_update(world.altai, researcher, name="Rejected Secret Name")
    review.proposal_reject(proposal_id=rejected.pk, reviewer=reviewer, reason="Not supported by sources")
    draft = review.proposal_create(
        author=researcher,
        items=[review.ItemInput(action="create", record_type="place", data={"name": "Draft Secret", "kind": "city"})],
        draft=True,
    )
    assert pending.status == "submitted"
    assert draft.status == "draft"
    secrets = ("Pending Secret Name", "Pending secret note", "Rejected Secret Name", "Draft Secret")
    for path in ("/", world.east.get_absolute_url(), world.altai.get_absolute_url(), "/places/", "/sitemap-0.xml"):
        page = body(reader.get(path))
        assert not [secret for secret in secrets if secret in page], path
    for word in ("Pending", "Rejected", "Draft"):
        page = body(reader.get(f"/search/?q={word}"))
        assert "0 matching records" in page, word


def test_published_edits_show_the_new_revision(world, reader):
    author, approver = staff_pair()
    proposal = propose_update(world.cn, author, notes="People's Republic of China.")
    review.proposal_approve(proposal_id=proposal.pk, reviewer=approver)
    page = body(reader.get(world.cn.get_absolute_url()))
    assert "People's Republic of China." in page
    assert f"/places/{world.cn.pk}/revisions/2/" in page


# Queries a reader's request makes, whatever the amount of related data: the publication version (the
# cache key, records/caching.py), the record with its state's relations and citations (and, in the
# record's query, when its current revision was made, for "cite this"), then one query per related section.
QUERIES = {
    "kz": 20,  # a place: borders both ways, successions both ways, within, organizations, figures, 4 for
    # partnerships, 3 for the charts of its figures (records/reads/series.py)
    "east": 20,
    "akimat": 12,
    "governor": 6,
    "article": 4,
    "agreement": 6,  # links are loaded with the records they point at (records/content/types.py)
    "event": 6,
    "statistic": 8,  # 4 for the series it belongs to: its subjects, the figures, their subjects, their sources
}


@pytest.mark.parametrize(("name", "queries"), QUERIES.items())
def test_record_page_queries_are_pinned(world, reader, name, queries, django_assert_num_queries):
    record = getattr(world, name)
    with django_assert_num_queries(queries):
        reader.get(record.get_absolute_url())


def test_record_page_queries_do_not_grow_with_related_records(world, reader, django_assert_num_queries):
    def count(path):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            reader.get(path)
        return len(captured)

    pages = [world.east.get_absolute_url(), world.statistic.get_absolute_url()]
    before = [count(path) for path in pages]
    for n in range(3):
        publish(
            "agreement",
            title=f"Extra agreement {n}",
            date=f"200{n}",
            parties=[{"id": world.east.pk}, {"id": world.kurgan.pk}],
            citations=[{"source": world.article.pk}],
        )
        publish("place", name=f"Extra district {n}", kind="district", parent=world.east.pk)
        # More figures of the statistic's series (and of the place's charts), each citing its source.
        source = publish("source", title=f"Extra yearbook {n}", kind="journal_article", date=f"200{n}")
        publish(
            "statistic",
            indicator="trade_turnover",
            value=str(100 + n),
            currency="USD",
            date=f"200{n + 2}",
            subjects=[{"id": world.east.pk}, {"id": world.altai.pk}],
            citations=[{"source": source.pk}, {"source": world.article.pk}],
        )
    assert [count(path) for path in pages] == before
