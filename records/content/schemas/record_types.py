"""The content schema of each record type: places, organizations, people, agreements, events, statistics
and sources, each adding its own fields and checks to the shared core."""

from __future__ import annotations

import re

from django.utils.translation import gettext, gettext_noop
from rest_framework import serializers

from records.content.schemas.core import (
    LinkSchema,
    NamedSchema,
    RecordSchema,
    SuccessionSchema,
    TitledSchema,
    unique_links,
)
from records.content.schemas.fields import (
    COUNTRIES,
    CURRENCIES,
    ISO_CODE_RE,
    LANGUAGE_RE,
    DefaultTerm,
    EDTFField,
    PlainText,
    RecordRef,
    RecordRefList,
    StrictSerializer,
    VocabularyField,
    record_types_of,
    text,
)
from records.models import (
    Agreement,
    AgreementKind,
    AgreementLevel,
    EventKind,
    Indicator,
    OrganizationKind,
    PlaceKind,
    Role,
    SourceKind,
    Sphere,
    Statistic,
    Unit,
)

# ------------------------------------------------------------------ places, organizations, people


class BorderSchema(LinkSchema):
    id = RecordRef(types=("place",), source="neighbour_id")


class PlaceSchema(NamedSchema):
    record_type = "place"

    kind = VocabularyField(PlaceKind)
    parent = RecordRef(types=("place",), source="parent_id", required=False, allow_null=True, default=None)
    iso_code = text(10)
    latitude = serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
        required=False,
        allow_null=True,
        default=None,
        normalize_output=True,
    )
    longitude = serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        required=False,
        allow_null=True,
        default=None,
        normalize_output=True,
    )
    borders = BorderSchema(many=True, source="border_links", required=False, default=list, max_length=100)
    predecessors = SuccessionSchema(many=True, source="predecessor_links", required=False, default=list, max_length=50)

    def validate_iso_code(self, value: str) -> str:
        value = value.strip().upper()
        if value:
            match = ISO_CODE_RE.match(value)
            if not match:
                raise serializers.ValidationError(gettext("An ISO 3166 code looks like KZ or KZ-VOS."))
            if match.group(1) not in COUNTRIES:
                raise serializers.ValidationError(
                    gettext("%(code)s is not an ISO 3166-1 country code.") % {"code": match.group(1)}
                )
        return value

    def validate_borders(self, value: list[dict]) -> list[dict]:
        return unique_links(value, "neighbour_id", gettext_noop("neighbour"))

    def validate_predecessors(self, value: list[dict]) -> list[dict]:
        return unique_links(value, "predecessor_id", gettext_noop("predecessor"))

    def validate(self, attrs: dict) -> dict:
        attrs = super().validate(attrs)
        if (attrs["latitude"] is None) != (attrs["longitude"] is None):
            raise serializers.ValidationError({"longitude": [gettext("Give both latitude and longitude, or neither.")]})
        check_succession_types(attrs, "place", self.context)
        return attrs


def check_succession_types(attrs: dict, record_type: str, context: dict) -> None:
    refs = context.get("refs", {})
    for link in attrs.get("predecessor_links", []):
        target = link["predecessor_id"]
        target_type = refs.get(target) if isinstance(target, str) else record_types_of([target], context).get(target)
        if target_type != record_type:
            raise serializers.ValidationError(
                {"predecessors": [gettext("A %(type)s's predecessor is a %(type)s.") % {"type": record_type}]}
            )
        if target == context.get("record_id"):
            raise serializers.ValidationError({"predecessors": [gettext("A record cannot be its own predecessor.")]})


class OrganizationSchema(NamedSchema):
    record_type = "organization"

    kind = VocabularyField(OrganizationKind)
    acronym = text(40)
    place = RecordRef(types=("place",), source="place_id", required=False, allow_null=True, default=None)
    country = RecordRef(types=("place",), source="country_id", required=False, allow_null=True, default=None)
    parent = RecordRef(types=("organization",), source="parent_id", required=False, allow_null=True, default=None)
    predecessors = SuccessionSchema(many=True, source="predecessor_links", required=False, default=list, max_length=50)

    def validate_predecessors(self, value: list[dict]) -> list[dict]:
        return unique_links(value, "predecessor_id", gettext_noop("predecessor"))

    def validate(self, attrs: dict) -> dict:
        attrs = super().validate(attrs)
        check_succession_types(attrs, "organization", self.context)
        return attrs


class PositionSchema(LinkSchema):
    title = PlainText(max_length=300)
    organization = RecordRef(
        types=("organization",), source="organization_id", required=False, allow_null=True, default=None
    )
    date = EDTFField(required=False, allow_blank=True, default="")


class PersonSchema(NamedSchema):
    record_type = "person"

    positions = PositionSchema(many=True, required=False, default=list, max_length=100)


# ------------------------------------------------------------------ agreements and events


class PartySchema(LinkSchema):
    id = RecordRef(types=("place", "organization", "person"), source="party_id")
    role = VocabularyField(Role, required=False, default=DefaultTerm(Role, "party"))


class AgreementSchema(TitledSchema):
    record_type = "agreement"
    date_required = True

    kind = VocabularyField(AgreementKind)
    level = VocabularyField(AgreementLevel, required=False, allow_null=True, default=None)
    agreement_status = serializers.ChoiceField(choices=Agreement.Status.choices, default=Agreement.Status.SIGNED)
    place_signed = RecordRef(types=("place",), source="place_signed_id", required=False, allow_null=True, default=None)
    parties = PartySchema(many=True, source="party_links", required=False, default=list, max_length=200)
    spheres = VocabularyField(Sphere, many=True, required=False, default=list)
    value_amount = serializers.DecimalField(
        max_digits=20,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
        default=None,
        normalize_output=True,
    )
    value_currency = text(3)

    def validate_parties(self, value: list[dict]) -> list[dict]:
        return unique_links(value, "party_id,role", gettext_noop("party with the same role"))

    def validate_spheres(self, value: list) -> list:
        if len({s.code for s in value}) != len(value):
            raise serializers.ValidationError(gettext("A sphere is listed twice."))
        return value

    def validate(self, attrs: dict) -> dict:
        attrs = super().validate(attrs)
        validate_money(attrs, "value_amount", "value_currency")
        return attrs


def validate_money(attrs: dict, amount: str, currency: str) -> None:
    attrs[currency] = attrs[currency].strip().upper()
    if attrs[amount] is None and attrs[currency]:
        raise serializers.ValidationError({amount: [gettext("A currency was given without an amount.")]})
    if attrs[amount] is not None:
        if not attrs[currency]:
            raise serializers.ValidationError(
                {currency: [gettext("An amount needs its ISO 4217 currency (e.g. USD, KZT).")]}
            )
        if attrs[currency] not in CURRENCIES:
            raise serializers.ValidationError(
                {currency: [gettext("%(code)s is not an ISO 4217 currency code.") % {"code": repr(attrs[currency])}]}
            )


class ParticipantSchema(LinkSchema):
    id = RecordRef(types=("place", "organization", "person"), source="participant_id")
    role = VocabularyField(Role, required=False, default=DefaultTerm(Role, "participant"))


class EventSchema(NamedSchema):
    record_type = "event"
    date_required = True

    kind = VocabularyField(EventKind)
    place = RecordRef(types=("place",), source="place_id", required=False, allow_null=True, default=None)
    part_of = RecordRef(types=("event",), source="part_of_id", required=False, allow_null=True, default=None)
    participants = ParticipantSchema(
        many=True, source="participant_links", required=False, default=list, max_length=300
    )
    agreements = RecordRefList(types=("agreement",), help_text="Agreements signed at the event")

    def validate_participants(self, value: list[dict]) -> list[dict]:
        return unique_links(value, "participant_id,role", gettext_noop("participant with the same role"))


# ------------------------------------------------------------------ statistics and sources


class SubjectSchema(LinkSchema):
    id = RecordRef(types=("place", "organization"), source="subject_id")
    role = VocabularyField(Role, required=False, allow_null=True, default=None)


class StatisticSchema(TitledSchema):
    record_type = "statistic"
    date_required = True

    indicator = VocabularyField(Indicator)
    value = serializers.DecimalField(max_digits=24, decimal_places=4, normalize_output=True)
    value_qualifier = serializers.ChoiceField(choices=Statistic.Qualifier.choices, default=Statistic.Qualifier.EXACT)
    unit = VocabularyField(Unit, required=False, allow_null=True, default=None)
    currency = text(3)
    reliability_note = text(5000)
    subjects = SubjectSchema(many=True, source="subject_links", required=False, default=list, max_length=100)

    def validate_subjects(self, value: list[dict]) -> list[dict]:
        return unique_links(value, "subject_id", gettext_noop("subject"))

    def validate(self, attrs: dict) -> dict:
        attrs = super().validate(attrs)
        attrs["currency"] = attrs["currency"].strip().upper()
        if (attrs["unit"] is None) == (not attrs["currency"]):
            raise serializers.ValidationError(
                {"unit": [gettext("Give either a unit or an ISO 4217 currency (not both).")]}
            )
        if attrs["currency"] and attrs["currency"] not in CURRENCIES:
            raise serializers.ValidationError(
                {
                    "currency": [
                        gettext("%(code)s is not an ISO 4217 currency code.") % {"code": repr(attrs["currency"])}
                    ]
                }
            )
        return attrs

    def derive_label(self, attrs: dict) -> str:
        indicator = attrs.get("indicator")
        return f"{indicator.label if indicator else 'Figure'}, {attrs.get('date') or 'undated'}"


class PersonNameSchema(StrictSerializer):
    """An author or editor: family and given names, or a literal name (an institution)."""

    family = text(200)
    given = text(200)
    literal = text(300)

    def validate(self, attrs: dict) -> dict:
        if not (attrs["family"] or attrs["literal"]):
            raise serializers.ValidationError(gettext("Give a family name or a literal name."))
        return {key: value for key, value in attrs.items() if value}


class SourceSchema(TitledSchema):
    record_type = "source"

    kind = VocabularyField(SourceKind)
    archive = RecordRef(types=("organization",), source="archive_id", required=False, allow_null=True, default=None)
    fund = text(50)
    series = text(50)
    file = text(50)
    pages = text(100)
    authors = PersonNameSchema(many=True, required=False, default=list, max_length=100)
    editors = PersonNameSchema(many=True, required=False, default=list, max_length=100)
    container_title = text(500)
    publisher = text(300)
    publisher_place = text(200)
    volume = text(50)
    issue = text(50)
    edition = text(50)
    doi = text(200)
    url = serializers.URLField(max_length=1000, required=False, allow_blank=True, default="")
    accessed = serializers.DateField(required=False, allow_null=True, default=None)
    language = text(10)

    def validate_doi(self, value: str) -> str:
        value = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", value.strip(), flags=re.I)
        if value and not re.match(r"^10\.[0-9]{4,9}/\S+$", value):
            raise serializers.ValidationError(gettext("A DOI looks like 10.1234/abc."))
        return value

    def validate_language(self, value: str) -> str:
        if value and not LANGUAGE_RE.match(value):
            raise serializers.ValidationError(gettext("Use a language code such as en, ru, kk, uk."))
        return value

    def validate(self, attrs: dict) -> dict:
        if attrs["kind"].code == "archival_file":
            missing = [
                name for name in ("archive", "file") if not attrs.get("archive_id" if name == "archive" else name)
            ]
            if missing:
                raise serializers.ValidationError(
                    {name: [gettext("An archival file needs its archive and file number.")] for name in missing}
                )
        return super().validate(attrs)

    def derive_label(self, attrs: dict) -> str:
        if attrs["kind"].code != "archival_file":
            return ""
        parts = [
            f"fund {attrs['fund']}" if attrs["fund"] else "",
            f"series {attrs['series']}" if attrs["series"] else "",
            f"file {attrs['file']}",
        ]
        return "Archival file: " + ", ".join(p for p in parts if p)


STATES: dict[str, type[RecordSchema]] = {
    cls.record_type: cls
    for cls in (
        PlaceSchema,
        OrganizationSchema,
        PersonSchema,
        AgreementSchema,
        EventSchema,
        StatisticSchema,
        SourceSchema,
    )
}
