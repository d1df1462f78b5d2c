"""The record types of Bailanys, registered once: one `RecordTypeSpec` each (records/content/registry.py)."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from records import models as m
from records.content import schemas
from records.content.registry import RecordTypeSpec, registry


def _links(name: str, model, *related: str) -> Prefetch:
    """Prefetch a record's links together with the records (and roles) they point at: one query."""
    return Prefetch(name, queryset=model.objects.select_related(*related))


def _places_of(*records) -> list[int]:
    """Place ids of linked records: places themselves, and the seat or country of organizations."""
    ids = []
    for record in records:
        if record is None:
            continue
        if record.record_type == "place":
            ids.append(record.pk)
        elif record.record_type == "organization":
            org = getattr(record, "as_organization", record)
            ids += [pk for pk in (org.place_id, org.country_id) if pk]
    return ids


registry.register(
    RecordTypeSpec(
        name="place",
        plural="places",
        model=m.Place,
        schema=schemas.PlaceSchema,
        verbose_name=_("place"),
        verbose_name_plural=_("places"),
        select_related=("kind", "parent"),
        prefetch_related=(
            _links("border_links", m.PlaceBorder, "neighbour"),
            _links("predecessor_links", m.Succession, "predecessor"),
        ),
        search_text=lambda r: r.iso_code,
        related_places=lambda r: [r.pk],
        description=_("Countries, regions, krais and cities, with their names over time."),
        list_select_related=("kind", "parent"),
        related=(
            "predecessors",
            "successors",
            "borders",
            "bordered_by",
            "children",
            "organizations",
            "statistics",
            "partnerships",
            "series",
        ),
        lists_filter="place",
        extra_formats=("geojson",),
        jsonld_type="Place",
    )
)
registry.register(
    RecordTypeSpec(
        name="organization",
        plural="organizations",
        model=m.Organization,
        schema=schemas.OrganizationSchema,
        verbose_name=_("organization"),
        verbose_name_plural=_("organizations"),
        select_related=("kind", "place", "country", "parent"),
        prefetch_related=(_links("predecessor_links", m.Succession, "predecessor"),),
        search_text=lambda r: r.acronym,
        related_places=lambda r: [pk for pk in (r.place_id, r.country_id) if pk],
        description=_("Akimats, ministries, companies, associations, archives."),
        list_select_related=("kind", "place", "country"),
        related=(
            "predecessors",
            "successors",
            "children",
            "people",
            "agreements",
            "events",
            "statistics",
            "archival_sources",
        ),
        jsonld_type="Organization",
    )
)
registry.register(
    RecordTypeSpec(
        name="person",
        plural="persons",
        model=m.Person,
        schema=schemas.PersonSchema,
        verbose_name=_("person"),
        verbose_name_plural=_("persons"),
        prefetch_related=(_links("positions", m.Position, "organization"),),
        search_text=lambda r: " ".join(p.title for p in r.positions.all()),
        related_places=lambda r: _places_of(*(p.organization for p in r.positions.all())),
        description=_("Governors, diplomats and delegates, with the positions they held."),
        list_prefetch_related=(_links("positions", m.Position, "organization"),),
        related=("agreements", "events"),
        jsonld_type="Person",
    )
)
registry.register(
    RecordTypeSpec(
        name="agreement",
        plural="agreements",
        model=m.Agreement,
        schema=schemas.AgreementSchema,
        verbose_name=_("agreement"),
        verbose_name_plural=_("agreements"),
        select_related=("kind", "level", "place_signed"),
        prefetch_related=(
            _links("party_links", m.AgreementParty, "party", "party__as_organization", "role"),
            "spheres",
        ),
        related_places=lambda r: (
            _places_of(*(link.party for link in r.party_links.all()))
            + ([r.place_signed_id] if r.place_signed_id else [])
        ),
        description=_("Agreements, memoranda, contracts and protocols between regions."),
        default_sort="date",
        spans_years=True,
        list_select_related=("kind", "level"),
        list_prefetch_related=(_links("party_links", m.AgreementParty, "party"),),
        related=("signing_events",),
        jsonld_type="Legislation",
    )
)
registry.register(
    RecordTypeSpec(
        name="event",
        plural="events",
        model=m.Event,
        schema=schemas.EventSchema,
        verbose_name=_("event"),
        verbose_name_plural=_("events"),
        select_related=("kind", "place", "part_of"),
        prefetch_related=(
            _links("participant_links", m.EventParticipant, "participant", "participant__as_organization", "role"),
            "agreements",
        ),
        related_places=lambda r: (
            _places_of(*(link.participant for link in r.participant_links.all())) + ([r.place_id] if r.place_id else [])
        ),
        description=_("Visits, delegations, forums, exhibitions and days of culture."),
        default_sort="date",
        spans_years=True,
        list_select_related=("kind", "place"),
        list_prefetch_related=(_links("participant_links", m.EventParticipant, "participant"),),
        related=("parts",),
        jsonld_type="Event",
    )
)
registry.register(
    RecordTypeSpec(
        name="statistic",
        plural="statistics",
        model=m.Statistic,
        schema=schemas.StatisticSchema,
        verbose_name=_("statistic"),
        verbose_name_plural=_("statistics"),
        select_related=("indicator", "unit"),
        prefetch_related=(_links("subject_links", m.StatisticSubject, "subject", "subject__as_organization", "role"),),
        search_text=lambda r: r.reliability_note,
        related_places=lambda r: _places_of(*(link.subject for link in r.subject_links.all())),
        description=_("Trade turnover, investment and other figures over time."),
        default_sort="date",
        spans_years=True,
        list_select_related=("indicator", "unit"),
        list_prefetch_related=(_links("subject_links", m.StatisticSubject, "subject"),),
        related=("figure_series",),
        jsonld_type="Observation",
    )
)
registry.register(
    RecordTypeSpec(
        name="source",
        plural="sources",
        model=m.Source,
        schema=schemas.SourceSchema,
        verbose_name=_("source"),
        verbose_name_plural=_("sources"),
        select_related=("kind", "archive"),
        search_text=lambda r: " ".join(
            [r.container_title, r.publisher, r.fund and f"fund {r.fund}", r.file and f"file {r.file}"]
            + [a.get("family", "") + " " + a.get("given", "") + a.get("literal", "") for a in r.authors]
        ),
        description=_("Archival files and publications every fact is cited from."),
        place_facets=False,
        list_select_related=("kind", "archive"),
        cited=True,
        extra_formats=("csljson", "bibtex"),
        jsonld_type="CreativeWork",
    )
)
