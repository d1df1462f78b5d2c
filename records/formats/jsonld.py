"""Records as JSON-LD in the schema.org vocabulary, so that the data is linked-data friendly.

Place → Place (Country, City, AdministrativeArea...), organization → Organization (Government-,
Archive-, Research-...), person → Person, agreement → Legislation (a CreativeWork: kind, date and
place signed, legal force, spheres as DefinedTerms, parties through the Role pattern), event → Event,
statistic → Observation (a QuantitativeValue about places or organizations), source → CreativeWork
(Book, ScholarlyArticle, WebPage...) or ArchiveComponent held by an ArchiveOrganization.

Every node's `@id` is the record's public page; authority identifiers (Wikidata, GeoNames...) become
`sameAs` links. The context is inline (`@vocab` schema.org), so the documents expand offline.

A type without a node of its own here is a node of its spec's `jsonld_type` with what every record
has (names, identifiers, notes, sources).

Input is a record's API JSON (`records.content.representation.read_serializer`) plus the model instance
(for vocabulary labels and exact coordinates), so the API and the HTML pages give the same graph.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from records.content.registry import registry
from records.formats.citing import archival_location
from records.models import Record
from records.models.base import record_url

CONTEXT = {"@vocab": "https://schema.org/"}
LANGUAGES = ("en", "ru", "kk")
PLAIN_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

AUTHORITIES = {
    "wikidata": "https://www.wikidata.org/entity/{}",
    "geonames": "https://sws.geonames.org/{}/",
    "viaf": "https://viaf.org/viaf/{}",
    "orcid": "https://orcid.org/{}",
    "isni": "https://isni.org/isni/{}",
    "ror": "https://ror.org/{}",
}
PLACE_TYPES = {
    "country": "Country",
    "city": "City",
    "lake": "LakeBodyOfWater",
    "reservoir": "Reservoir",
    "natural_area": "Landform",
}
ADMINISTRATIVE = {
    "region",
    "krai",
    "republic",
    "autonomous_region",
    "federal_state",
    "voivodeship",
    "aimag",
    "prefecture",
    "district",
    "county",
    "special_economic_zone",
}
ORGANIZATION_TYPES = {
    "akimat": "GovernmentOrganization",
    "government": "GovernmentOrganization",
    "ministry": "GovernmentOrganization",
    "department": "GovernmentOrganization",
    "state_institution": "GovernmentOrganization",
    "embassy": "GovernmentOrganization",
    "archive": "ArchiveOrganization",
    "university": "CollegeOrUniversity",
    "research_institute": "ResearchOrganization",
    "company": "Corporation",
    "joint_venture": "Corporation",
    "bank": "Corporation",
    "hotel": "Hotel",
    "publisher": "Organization",
}
SOURCE_TYPES = {
    "archival_file": "ArchiveComponent",
    "book": "Book",
    "edited_book": "Book",
    "document_collection": "Book",
    "journal_article": "ScholarlyArticle",
    "newspaper_article": "NewsArticle",
    "web_page": "WebPage",
    "report": "Report",
}
LEGAL_FORCE = {"in_force": "InForce", "expired": "NotInForce", "terminated": "NotInForce"}


Node = Callable[[Any, dict, "Linker"], dict]
NODES: dict[str, Node] = {}  # record type → its node, for types that say more than `_core`


def node_for(record_type: str) -> Callable[[Node], Node]:
    def register(build: Node) -> Node:
        NODES[record_type] = build
        return build

    return register


class Linker:
    """Makes the `@id` (public page URL) of any record from its type and id."""

    def __init__(self, base_url: str) -> None:
        self.base = base_url.rstrip("/")

    def url(self, record_type: str, pk: int) -> str:
        return self.base + record_url(record_type, pk)

    def ref(self, record_type: str, pk: int | None, name: str | None = None) -> dict | None:
        if pk is None or isinstance(pk, str):
            return None
        node: dict[str, Any] = {"@id": self.url(record_type, pk), "@type": registry.get(record_type).jsonld_type}
        if name:
            node["name"] = name
        return node


def _compact(node: dict) -> dict:
    """Drop empty values (and empty members of lists): JSON-LD states what is known, nothing else."""
    out = {}
    for key, value in node.items():
        if isinstance(value, list):
            value = [item for item in value if item not in (None, "", {})]
        if value in (None, "", [], {}):
            continue
        out[key] = value
    return out


def _date_sides(edtf_value: str) -> tuple[str, str]:
    """The two sides of an EDTF interval that are plain dates (else empty), or the date itself twice."""
    if not edtf_value:
        return "", ""
    if "/" in edtf_value:
        lower, _, upper = edtf_value.partition("/")
        return (lower if PLAIN_DATE.match(lower) else "", upper if PLAIN_DATE.match(upper) else "")
    return (edtf_value, edtf_value) if PLAIN_DATE.match(edtf_value) else ("", "")


def _term(term, vocabulary: str, linker: Linker) -> dict | None:
    """A vocabulary term as a schema.org DefinedTerm."""
    if term is None:
        return None
    return {
        "@type": "DefinedTerm",
        "termCode": term.code,
        "name": term.labels.get("en") or term.code,
        "inDefinedTermSet": f"{linker.base}/api/v1/vocabularies/{vocabulary}/",
    }


def _role(link: dict, prop: str, linker: Linker) -> dict | None:
    """A link (party, participant, subject) through schema.org's Role pattern."""
    target = linker.ref(link.get("type") or "organization", link.get("id"), link.get("name"))
    if target is None:
        return None
    return _compact({"@type": "Role", "roleName": link.get("role"), prop: target, "description": link.get("note")})


def _core(record: Record, row: dict, linker: Linker, schema_type: str, *, creative_work: bool = False) -> dict:
    labels = record.labels or {}
    alternate: list = [{"@value": labels[lang], "@language": lang} for lang in labels if labels[lang] != record.label]
    alternate += [alias for alias in record.aliases if alias != record.label]
    identifiers = [{"@type": "PropertyValue", "propertyID": "bailanys", "value": str(record.pk)}]
    identifiers += [
        {"@type": "PropertyValue", "propertyID": scheme, "value": value}
        for scheme, value in sorted((record.identifiers or {}).items())
    ]
    same_as = [
        AUTHORITIES[scheme].format(value)
        for scheme, value in sorted((record.identifiers or {}).items())
        if scheme in AUTHORITIES
    ]
    sources = [
        linker.ref("source", citation.get("source"), citation.get("label")) for citation in row.get("citations", [])
    ]
    sources = list({node["@id"]: node for node in sources if node}.values())
    return _compact(
        {
            "@id": linker.url(record.record_type, record.pk),
            "@type": schema_type,
            "url": linker.url(record.record_type, record.pk),
            "name": record.label,
            "alternateName": alternate,
            "identifier": identifiers,
            "sameAs": same_as,
            "description": record.notes,
            "version": str(record.revision),
            "dateModified": record.updated_at.isoformat() if record.updated_at else None,
            ("citation" if creative_work else "subjectOf"): sources,
        }
    )


@node_for("place")
def place_node(record, row: dict, linker: Linker) -> dict:
    kind = record.kind_id
    schema_type = PLACE_TYPES.get(kind) or ("AdministrativeArea" if kind in ADMINISTRATIVE else "Place")
    node = _core(record, row, linker, schema_type)
    if record.latitude is not None and record.longitude is not None:
        node["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(record.latitude),
            "longitude": float(record.longitude),
        }
    node["containedInPlace"] = linker.ref("place", record.parent_id)
    node["geoTouches"] = [linker.ref("place", link.get("id"), link.get("name")) for link in row.get("borders", [])]
    node["additionalType"] = _term(record.kind, "place_kind", linker)
    if record.iso_code:
        node["identifier"].append({"@type": "PropertyValue", "propertyID": "ISO 3166", "value": record.iso_code})
    return _compact(node)


@node_for("organization")
def organization_node(record, row: dict, linker: Linker) -> dict:
    node = _core(record, row, linker, ORGANIZATION_TYPES.get(record.kind_id, "Organization"))
    if record.acronym:
        node.setdefault("alternateName", []).append(record.acronym)
    node["location"] = [
        ref for ref in (linker.ref("place", record.place_id), linker.ref("place", record.country_id)) if ref
    ]
    node["parentOrganization"] = linker.ref("organization", record.parent_id)
    node["foundingDate"], node["dissolutionDate"] = _date_sides(record.date) if "/" in record.date else ("", "")
    node["additionalType"] = _term(record.kind, "organization_kind", linker)
    return _compact(node)


@node_for("person")
def person_node(record, row: dict, linker: Linker) -> dict:
    node = _core(record, row, linker, "Person")
    works_for, titles = [], []
    for position in row.get("positions", []):
        organization = linker.ref("organization", position.get("organization"))
        if organization is None:
            titles.append(position.get("title"))
            continue
        start, end = _date_sides(position.get("date", ""))
        works_for.append(
            _compact(
                {
                    "@type": "EmployeeRole",
                    "roleName": position.get("title"),
                    "startDate": start,
                    "endDate": end if "/" in position.get("date", "") else "",
                    "worksFor": organization,
                }
            )
        )
    node["worksFor"], node["jobTitle"] = works_for, titles
    if "/" in record.date:
        node["birthDate"], node["deathDate"] = _date_sides(record.date)
    return _compact(node)


@node_for("agreement")
def agreement_node(record, row: dict, linker: Linker) -> dict:
    node = _core(record, row, linker, "Legislation", creative_work=True)
    start, _ = _date_sides(record.date)
    node["legislationDate"] = start if "/" not in record.date else ""
    node["dateCreated"] = node["legislationDate"]
    node["temporalCoverage"] = record.date
    node["legislationType"] = _term(record.kind, "agreement_kind", linker)
    node["genre"] = _term(record.level, "agreement_level", linker)
    node["legislationLegalForce"] = LEGAL_FORCE.get(record.agreement_status)
    node["creativeWorkStatus"] = record.agreement_status
    node["locationCreated"] = linker.ref("place", record.place_signed_id)
    node["about"] = [_term(sphere, "sphere", linker) for sphere in record.spheres.all()]
    node["contributor"] = [_role(link, "contributor", linker) for link in row.get("parties", [])]
    if record.value_amount is not None:
        node["funding"] = {
            "@type": "MonetaryGrant",
            "amount": {"@type": "MonetaryAmount", "value": str(record.value_amount), "currency": record.value_currency},
        }
    return _compact(node)


@node_for("event")
def event_node(record, row: dict, linker: Linker) -> dict:
    node = _core(record, row, linker, "Event")
    start, end = _date_sides(record.date)
    node["startDate"], node["endDate"] = start, end
    node["location"] = linker.ref("place", record.place_id)
    node["superEvent"] = linker.ref("event", record.part_of_id)
    node["attendee"] = [_role(link, "attendee", linker) for link in row.get("participants", [])]
    node["workFeatured"] = [linker.ref("agreement", pk) for pk in row.get("agreements", [])]
    node["additionalType"] = _term(record.kind, "event_kind", linker)
    return _compact(node)


@node_for("statistic")
def statistic_node(record, row: dict, linker: Linker) -> dict:
    node = _core(record, row, linker, "Observation")
    node["observationAbout"] = [_role(link, "observationAbout", linker) for link in row.get("subjects", [])]
    node["variableMeasured"] = _term(record.indicator, "indicator", linker)
    node["observationPeriod"] = record.date
    node["value"] = str(record.value)
    node["valueReference"] = record.value_qualifier if record.value_qualifier != "exact" else ""
    node["unitText"] = record.currency or (record.unit.labels.get("en") if record.unit_id else "")
    node["measurementMethod"] = record.reliability_note
    return _compact(node)


def _people(people: list[dict]) -> list[dict]:
    nodes = []
    for person in people or []:
        if person.get("literal"):
            nodes.append({"@type": "Organization", "name": person["literal"]})
        else:
            name = " ".join(part for part in (person.get("given"), person.get("family")) if part)
            nodes.append(
                _compact(
                    {
                        "@type": "Person",
                        "name": name,
                        "familyName": person.get("family"),
                        "givenName": person.get("given"),
                    }
                )
            )
    return nodes


@node_for("source")
def source_node(record, row: dict, linker: Linker) -> dict:
    node = _core(record, row, linker, SOURCE_TYPES.get(record.kind_id, "CreativeWork"), creative_work=True)
    node["author"] = _people(record.authors)
    node["editor"] = _people(record.editors)
    start, _ = _date_sides(record.date)
    node["datePublished"] = start if "/" not in record.date else ""
    node["temporalCoverage"] = record.date if "/" in record.date else ""
    node["publisher"] = {"@type": "Organization", "name": record.publisher} if record.publisher else None
    node["isPartOf"] = {"@type": "CreativeWork", "name": record.container_title} if record.container_title else None
    node["pagination"] = record.pages
    node["bookEdition"] = record.edition
    node["inLanguage"] = record.language
    node["genre"] = _term(record.kind, "source_kind", linker)
    if record.doi:
        node["identifier"].append({"@type": "PropertyValue", "propertyID": "DOI", "value": record.doi})
        node.setdefault("sameAs", []).append(f"https://doi.org/{record.doi}")
    if record.url:
        node.setdefault("sameAs", []).append(record.url)
    if record.kind_id == "archival_file":
        node["holdingArchive"] = linker.ref("organization", record.archive_id)
        if node["holdingArchive"]:
            node["holdingArchive"]["@type"] = "ArchiveOrganization"
        node["itemLocation"] = archival_location(record)
    return _compact(node)


def record_node(record: Record, row: dict, *, base_url: str) -> dict:
    """One record as a schema.org node (without @context)."""
    linker = Linker(base_url)
    build = NODES.get(record.record_type)
    if build is None:
        return _core(record, row, linker, registry.get(record.record_type).jsonld_type)
    return build(record, row, linker)


def record_document(record: Record, row: dict, *, base_url: str) -> dict:
    """One record as a complete JSON-LD document."""
    return {"@context": CONTEXT, **record_node(record, row, base_url=base_url)}
