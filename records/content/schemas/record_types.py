"""Record states: the one validation path for every record's content.

A *state* serializer describes one record type's editable content. The same class

- validates a proposal's data when it is submitted, again when it is approved, and the seed file;
- produces the canonical JSON of that content (`serializer.data` after validation), which proposals
  store and which three-way merges compare;
- produces the snapshot of a published record (`serializer(instance).data`), which revisions store.

So a proposal's data, a revision's snapshot and the API's record JSON share one shape: a client can
GET a record, change a field and send it back as a proposal's `data`.
"""

from __future__ import annotations

import re
from typing import Any

import pycountry
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.translation import gettext, gettext_noop
from rest_framework import serializers

from records.dates import edtf
from records.models import (
    Agreement,
    AgreementKind,
    AgreementLevel,
    Certainty,
    EventKind,
    Indicator,
    OrganizationKind,
    PlaceKind,
    Record,
    Role,
    SourceKind,
    Sphere,
    Statistic,
    Succession,
    Unit,
)
from records.models.base import MAX_ID

# Keys a client may send back unchanged from a GET: they are shown, never written.
READ_ONLY_KEYS = {"id", "url", "web_url", "type", "revision", "status", "name_display", "updated_at", "created_at"}
LINK_READ_ONLY_KEYS = {"type", "name", "url", "web_url", "label", "role_label"}

TAG_RE = re.compile(r"<\s*[a-zA-Z/!?]")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
IDENTIFIER_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{1,29}$")
IDENTIFIER_FORMATS = {
    "wikidata": (re.compile(r"^Q[1-9][0-9]*$"), gettext_noop("a Wikidata id looks like Q232")),
    "geonames": (re.compile(r"^[1-9][0-9]*$"), gettext_noop("a GeoNames id is a number")),
    "viaf": (re.compile(r"^[1-9][0-9]*$"), gettext_noop("a VIAF id is a number")),
    "orcid": (
        re.compile(r"^[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]$"),
        gettext_noop("an ORCID looks like 0000-0002-1825-0097"),
    ),
    "isni": (re.compile(r"^[0-9]{15}[0-9X]$"), gettext_noop("an ISNI has 16 characters")),
    "ror": (re.compile(r"^0[a-z0-9]{6}[0-9]{2}$"), gettext_noop("a ROR id looks like 05gq02987")),
    "bin": (re.compile(r"^[0-9]{12}$"), gettext_noop("a Kazakh business identification number has 12 digits")),
}
ISO_CODE_RE = re.compile(r"^([A-Z]{2})(-[A-Z0-9]{1,3})?$")
CURRENCIES = {c.alpha_3 for c in pycountry.currencies}
# Currencies of the period that ISO 4217 has since withdrawn.
CURRENCIES |= {"SUR", "DEM", "FRF", "ITL", "ESP", "NLG", "ATS", "BEF", "FIM", "IEP", "PTE", "GRD", "SKK", "SIT", "TRL"}
COUNTRIES = {c.alpha_2 for c in pycountry.countries} | {"SU", "XK"}


def plain_text(value: str) -> str:
    if CONTROL_RE.search(value):
        raise serializers.ValidationError(gettext("Control characters are not allowed."))
    if TAG_RE.search(value):
        raise serializers.ValidationError(gettext("Plain text only: markup such as <tags> is not allowed."))
    return value


class PlainText(serializers.CharField):
    """Text that is stored and shown as text: no markup, no control characters."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 500)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            raise serializers.ValidationError(gettext("Expected text."))
        return plain_text(super().to_internal_value(data))


def text(max_length: int = 500, **kwargs: Any) -> PlainText:
    """An optional plain-text field that defaults to the empty string."""
    return PlainText(max_length=max_length, required=False, allow_blank=True, default="", **kwargs)


class EDTFField(serializers.CharField):
    """A historical date in EDTF, validated by the `edtf` library."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", edtf.MAX_LENGTH)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            raise serializers.ValidationError(gettext('Expected an EDTF date as text, e.g. "2001-09-03".'))
        value = data.strip()
        if not value:
            if self.allow_blank:
                return ""
            self.fail("blank")
        try:
            edtf.parse(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
        return value


class LabelsField(serializers.DictField):
    """Names by language: {"en": "East Kazakhstan Region", "ru": "Восточно-Казахстанская область", ...}."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(child=PlainText(max_length=500), required=False, default=dict, **kwargs)

    def to_internal_value(self, data: Any) -> dict:
        if not isinstance(data, dict):
            raise serializers.ValidationError(gettext("Expected an object of names by language code."))
        bad = [key for key in data if not isinstance(key, str) or not LANGUAGE_RE.match(key)]
        if bad:
            raise serializers.ValidationError(
                gettext("Not a language code: %(code)s (use en, ru, kk, ...).") % {"code": repr(str(bad[0])[:20])}
            )
        value = super().to_internal_value(data)
        return {key: name.strip() for key, name in value.items() if name.strip()}


class IdentifiersField(serializers.DictField):
    """External authority identifiers: {"wikidata": "Q232", "geonames": "1537162"}."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(child=PlainText(max_length=200), required=False, default=dict, **kwargs)

    def to_internal_value(self, data: Any) -> dict:
        if not isinstance(data, dict):
            raise serializers.ValidationError(gettext("Expected an object of identifiers by scheme."))
        value = super().to_internal_value(data)
        errors = []
        for key, ident in value.items():
            if not IDENTIFIER_KEY_RE.match(key):
                errors.append(
                    gettext("%(key)s is not a scheme name (lower-case letters, digits, _).") % {"key": repr(key[:30])}
                )
            elif key in IDENTIFIER_FORMATS and not IDENTIFIER_FORMATS[key][0].match(ident):
                errors.append(f"{key}: {gettext(IDENTIFIER_FORMATS[key][1])}.")
        if errors:
            raise serializers.ValidationError(errors)
        return {key: ident for key, ident in value.items() if ident}


class VocabularyField(serializers.SlugRelatedField):
    """A term of a controlled vocabulary, given by its code."""

    def __init__(self, model: type[models.Model], **kwargs: Any) -> None:
        self.vocabulary = model
        super().__init__(slug_field="code", queryset=model.objects.all(), **kwargs)

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            raise serializers.ValidationError(gettext("Expected a code of the vocabulary, as text."))
        # Terms looked up once per validation run (a proposal of many records repeats the same few).
        cache: dict = self.context.setdefault("_vocabulary_terms", {}) if isinstance(self.context, dict) else {}
        key = (self.vocabulary, data)
        if key in cache:
            return cache[key]
        try:
            cache[key] = self.get_queryset().get(code=data)
            return cache[key]
        except self.vocabulary.DoesNotExist:
            codes = ", ".join(self.vocabulary.objects.filter(active=True).values_list("code", flat=True)[:40])
            raise serializers.ValidationError(
                gettext("%(value)s is not a known %(vocabulary)s; use one of: %(codes)s.")
                % {"value": repr(data[:60]), "vocabulary": self.vocabulary._meta.verbose_name, "codes": codes}
            ) from None


class DefaultTerm:
    """A vocabulary term as a field's default, looked up once per validation run."""

    requires_context = True

    def __init__(self, vocabulary: type[models.Model], code: str) -> None:
        self.vocabulary, self.code = vocabulary, code

    def __call__(self, field: serializers.Field):
        cache: dict = field.context.setdefault("_vocabulary_terms", {})
        key = (self.vocabulary, self.code)
        if key not in cache:
            cache[key] = self.vocabulary.objects.get(code=self.code)
        return cache[key]


class RecordRef(serializers.Field):
    """A published record of one of `types`, by its id, or a new record of the same proposal by "$ref"."""

    def __init__(self, *, types: tuple[str, ...], **kwargs: Any) -> None:
        self.types = types
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> int | str:
        refs: dict[str, str] = self.context.get("refs", {})
        if isinstance(data, str) and data.startswith("$"):
            if data not in refs:
                raise serializers.ValidationError(
                    gettext("%(ref)s names no new record of this proposal.") % {"ref": repr(data[:40])}
                )
            if refs[data] not in self.types:
                raise serializers.ValidationError(
                    gettext("%(ref)s is a %(type)s; expected %(expected)s.")
                    % {"ref": repr(data[:40]), "type": refs[data], "expected": self.expected}
                )
            return data
        if isinstance(data, bool) or not isinstance(data, (int, str)):
            raise serializers.ValidationError(
                gettext("Expected the id of a %(expected)s.") % {"expected": self.expected}
            )
        try:
            pk = int(data)
        except ValueError:
            raise serializers.ValidationError(
                gettext("Expected the id of a %(expected)s.") % {"expected": self.expected}
            ) from None
        if not 0 < pk <= MAX_ID:
            raise serializers.ValidationError(
                gettext("No published %(expected)s has the id %(id)s.") % {"expected": self.expected, "id": pk}
            )
        found = record_types_of([pk], self.context)
        if pk not in found:
            raise serializers.ValidationError(
                gettext("No published %(expected)s has the id %(id)s.") % {"expected": self.expected, "id": pk}
            )
        if found[pk] not in self.types:
            raise serializers.ValidationError(
                gettext("Record %(id)s is a %(type)s; expected %(expected)s.")
                % {"id": pk, "type": found[pk], "expected": self.expected}
            )
        return pk

    def to_representation(self, value: Any) -> int | str | None:
        return value.pk if isinstance(value, models.Model) else value

    @property
    def expected(self) -> str:
        return " or ".join(self.types)


class RecordRefList(serializers.ListField):
    """Several records of one type, e.g. the agreements signed at an event (a many-to-many field)."""

    def __init__(self, *, types: tuple[str, ...], **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("default", list)
        kwargs.setdefault("max_length", 500)
        super().__init__(child=RecordRef(types=types), **kwargs)

    def to_internal_value(self, data: Any) -> list:
        value = super().to_internal_value(data)
        if len(set(map(str, value))) != len(value):
            raise serializers.ValidationError(gettext("A record is listed twice."))
        return value

    def to_representation(self, data: Any) -> list:
        if hasattr(data, "all"):
            return [obj.pk for obj in data.all()]
        return list(data)


def record_types_of(pks: list[int], context: dict) -> dict[int, str]:
    """Types of the published records among `pks`, cached for one validation run."""
    cache: dict[int, str | None] = context.setdefault("_published_types", {})
    missing = [pk for pk in pks if pk not in cache]
    if missing:
        rows = dict(Record.objects.published().filter(pk__in=missing).values_list("pk", "record_type"))
        for pk in missing:
            cache[pk] = rows.get(pk)
    return {pk: cache[pk] for pk in pks if cache.get(pk)}


class StrictSerializer(serializers.Serializer):
    """Refuses keys it does not know, so a misspelt field is an error rather than silently lost."""

    allowed_extra_keys: set[str] = set()

    def to_internal_value(self, data: Any) -> dict:
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": [gettext("Expected an object.")]})
        known = {name for name, field in self.fields.items() if not field.read_only}
        unknown = sorted(str(key) for key in data if key not in known and key not in self.allowed_extra_keys)
        if unknown:
            raise serializers.ValidationError({key[:60]: [gettext("Unknown field.")] for key in unknown[:20]})
        return super().to_internal_value(data)


# ------------------------------------------------------------------ links


class LinkSchema(StrictSerializer):
    allowed_extra_keys = LINK_READ_ONLY_KEYS
    certainty = serializers.ChoiceField(choices=Certainty.choices, default=Certainty.CERTAIN)
    note = text(2000)


def unique_links(items: list[dict], key: str, label: str) -> list[dict]:
    seen = set()
    for item in items:
        marker = tuple(str(item.get(k)) for k in key.split(","))
        if marker in seen:
            raise serializers.ValidationError(gettext("The same %(item)s is listed twice.") % {"item": gettext(label)})
        seen.add(marker)
    return items


class CitationSchema(StrictSerializer):
    """A source supporting the record (or one of its fields) at a locator, with an optional quote."""

    source = RecordRef(types=("source",), source="source_id")
    field = text(60)
    locator = text(200)
    quote = text(5000)


class SuccessionSchema(LinkSchema):
    id = RecordRef(types=("place", "organization"), source="predecessor_id")
    kind = serializers.ChoiceField(choices=Succession.Kind.choices, default=Succession.Kind.RENAMED)
    date = EDTFField(required=False, allow_blank=True, default="")


# ------------------------------------------------------------------ the core


class RecordSchema(StrictSerializer):
    """Fields every record has. Subclasses add `name`/`title` and their own fields."""

    record_type: str = ""
    date_required = False
    allowed_extra_keys = READ_ONLY_KEYS

    aliases = serializers.ListField(
        child=PlainText(max_length=300, allow_blank=True),
        required=False,
        default=list,
        max_length=200,
        help_text="Spelling variants and transliterations",
    )
    identifiers = IdentifiersField()
    notes = text(20000)
    certainty = serializers.ChoiceField(choices=Certainty.choices, default=Certainty.CERTAIN)
    certainty_note = text(2000)
    date = EDTFField(required=False, allow_blank=True, default="")
    date_text = text(300, help_text="The source's own wording of the date")
    citations = CitationSchema(many=True, required=False, default=list, max_length=500)

    def get_fields(self) -> dict:
        fields = super().get_fields()
        if self.date_required:
            fields["date"] = EDTFField(help_text=fields["date"].help_text)
        # The record's name or title leads, then its type's own fields, then the shared core.
        first = [
            name
            for name in ("id", "url", "web_url", "type", "revision", "name", "names", "title", "titles")
            if name in fields
        ]
        core = [name for name in RecordSchema._declared_fields if name in fields]
        rest = [name for name in fields if name not in first and name not in core]
        return {name: fields[name] for name in first + rest + core}

    def validate_aliases(self, value: list[str]) -> list[str]:
        cleaned = []
        for alias in (a.strip() for a in value):
            if alias and alias not in cleaned:
                cleaned.append(alias)
        return cleaned

    def validate_citations(self, value: list[dict]) -> list[dict]:
        names = {name for name, field in self.fields.items() if not field.read_only}
        for citation in value:
            if citation["field"] and citation["field"] not in names:
                raise serializers.ValidationError(
                    gettext("%(field)s is not a field of a %(type)s.")
                    % {"field": repr(citation["field"]), "type": self.record_type}
                )
        return value

    def validate(self, attrs: dict) -> dict:
        attrs = super().validate(attrs)
        labels = attrs.get("labels") or {}
        if not attrs.get("label", "").strip():
            fallback = labels.get("en") or next(iter(labels.values()), "")
            if fallback:
                attrs["label"] = fallback
            elif not self.derive_label(attrs):
                raise serializers.ValidationError({self.label_name: [gettext("A name is required.")]})
            else:
                attrs["label"] = self.derive_label(attrs)
        attrs["label"] = attrs["label"].strip()
        record_id = self.context.get("record_id")
        if record_id is not None:
            for name, field in self.fields.items():
                if isinstance(field, RecordRef) and attrs.get(field.source) == record_id:
                    raise serializers.ValidationError({name: [gettext("A record cannot refer to itself here.")]})
        return attrs

    def derive_label(self, attrs: dict) -> str:
        return ""

    @property
    def label_name(self) -> str:
        return "title" if "title" in self.fields else "name"


class NamedSchema(RecordSchema):
    name = PlainText(source="label", max_length=500, required=False, allow_blank=True, default="")
    names = LabelsField(source="labels")


class TitledSchema(RecordSchema):
    title = PlainText(source="label", max_length=500, required=False, allow_blank=True, default="")
    titles = LabelsField(source="labels")


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
