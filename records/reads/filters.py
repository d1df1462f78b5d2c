"""Filters shared by the HTML lists and the API (one FilterSet per type, written once on a base).

`q` searches; `place` and `country` match records about a place or anything inside it (via the
derived `place_ids`); `date_after`/`date_before` overlap the EDTF bounds; `kind`, `sphere`,
`indicator` by vocabulary code (repeat the parameter for several: any of them matches); `source` by
a cited source's id.

Every value is validated before it reaches the database: a bad date, an id out of range or an
unknown code is a form error naming the field (the API answers 400 with it), never a server error.
"""

from __future__ import annotations

import calendar
import copy
import datetime as dt
import re
from collections import OrderedDict

import django_filters as df
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django_filters.fields import IsoDateTimeField
from django_filters.filters import Filter
from drf_spectacular.utils import extend_schema_field

from records.content.registry import RecordTypeSpec
from records.content.vocabularies import vocabulary_of_field
from records.models import Agreement, Citation, Place
from records.models.base import MAX_ID
from records.reads.search import search_filter

PERIOD_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
CODE_RE = re.compile(r"^[a-z0-9_]{1,60}$")
COUNTRY_RE = re.compile(r"^[A-Za-z]{2}$")
MAX_CODES = 50


# ------------------------------------------------------------------ form fields


class IdField(forms.IntegerField):
    """A record id: a whole number that fits the database's bigint."""

    default_error_messages = {"invalid": "Give a record id (a whole number)."}

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


class Period:
    """A day, month or year given as YYYY-MM-DD, YYYY-MM or YYYY, with its first and last day."""

    def __init__(self, lower: dt.date, upper: dt.date) -> None:
        self.lower, self.upper = lower, upper


class PeriodField(forms.CharField):
    default_error_messages = {
        "invalid": "Give a year, a month or a day: YYYY, YYYY-MM or YYYY-MM-DD (e.g. 1999, 2001-09, 2001-09-03).",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 10)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        match = PERIOD_RE.match(value.strip())
        if not match:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        year, month, day = (int(part) if part else None for part in match.groups())
        try:
            if year < 1:
                raise ValueError
            if month is None:
                return Period(dt.date(year, 1, 1), dt.date(year, 12, 31))
            if day is None:
                return Period(dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1]))
            day_value = dt.date(year, month, day)
            return Period(day_value, day_value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class MomentField(IsoDateTimeField):
    """An ISO 8601 moment, kept in UTC. PostgreSQL refuses offsets beyond ±15:59 (a form error here,
    never a database error); a moment that UTC puts outside years 1-9999 is the first or last one."""

    default_error_messages = {
        "invalid": "Give a moment in ISO 8601 (e.g. 2024-05-01T12:00:00Z), in years 1 to 9999, with an offset of "
        "less than 16 hours."
    }

    def to_python(self, value):
        moment = super().to_python(value)
        if moment is None:
            return None
        offset = moment.utcoffset() or dt.timedelta()
        if abs(offset) >= dt.timedelta(hours=16):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return moment.astimezone(dt.UTC)
        except OverflowError:
            return (dt.datetime.min if moment.year == 1 else dt.datetime.max).replace(tzinfo=dt.UTC)


class CountryField(forms.CharField):
    default_error_messages = {"invalid": "Give an ISO 3166-1 alpha-2 code (e.g. KZ, RU, CN) or the id of a country."}

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)

    def clean(self, value):
        value = (super().clean(value) or "").strip()
        if not value:
            return None
        if value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID:
            return int(value)
        if COUNTRY_RE.match(value):
            return value.upper()
        raise ValidationError(self.error_messages["invalid"], code="invalid")


class VocabularyCodesField(forms.Field):
    """Codes of one vocabulary (the parameter may repeat). Cleaning checks their form only, without a
    query; whether they name known terms is checked only when a list comes back empty
    (`vocabulary_errors`), so a typo is a clear 400 and a normal request pays nothing for it. A plain
    field, not a model choice field: a form copies those with their querysets on every request."""

    widget = forms.SelectMultiple

    def __init__(self, queryset, **kwargs):
        self.vocabulary_name = kwargs.pop("vocabulary_name")
        self.queryset = queryset  # the vocabulary's terms, for `vocabulary_errors`
        super().__init__(**kwargs)

    def clean(self, value):
        if value in self.empty_values or value == [""]:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if not isinstance(value, (list, tuple)):
            value = [value]
        if len(value) > MAX_CODES:
            raise ValidationError(f"Give at most {MAX_CODES} codes.", code="max_codes")
        bad = next((code for code in value if not isinstance(code, str) or not CODE_RE.match(code)), None)
        if bad is not None:
            # The code goes in as a parameter: django-filter applies `message % params` to every error,
            # so a "%" the client sent must not be part of the message itself.
            raise ValidationError(UNKNOWN_CODE, code="invalid_choice", params=unknown_code(bad, self.vocabulary_name))
        return list(dict.fromkeys(value))


UNKNOWN_CODE = "%(code)s is not a known code; the valid codes are listed at /api/v1/vocabularies/%(vocabulary)s/."


def unknown_code(code, vocabulary_name: str) -> dict[str, str]:
    """The parameters of UNKNOWN_CODE: the client's value, quoted and cut short, and the vocabulary."""
    return {"code": repr(str(code)[:60]), "vocabulary": vocabulary_name}


# ------------------------------------------------------------------ filters


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID, "format": "int64"})
class IdFilter(df.Filter):
    field_class = IdField


@extend_schema_field(
    {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$", "example": "2001-09"},
)
class MomentFilter(df.IsoDateTimeFilter):
    field_class = MomentField


class PeriodFilter(df.Filter):
    field_class = PeriodField


@extend_schema_field({"type": "string", "pattern": r"^([A-Za-z]{2}|[1-9][0-9]{0,18})$", "example": "KZ"})
class CountryFilter(df.Filter):
    field_class = CountryField


@extend_schema_field({"type": "array", "items": {"type": "string", "pattern": r"^[a-z0-9_]{1,60}$"}})
class VocabularyFilter(df.Filter):
    """By code of a vocabulary term; repeat the parameter to accept any of several codes."""

    field_class = VocabularyCodesField


@extend_schema_field({"type": "string", "maxLength": 200})
class SearchFilter(df.CharFilter):
    pass


class RecordFilterForm(forms.Form):
    def clean(self):
        data = super().clean()
        after, before = data.get("date_after"), data.get("date_before")
        if after and before and after.lower > before.upper:
            self.add_error("date_before", "The period ends before it begins: date_before is earlier than date_after.")
        return data


class Filters(OrderedDict):
    """A FilterSet's declared filters, copied cheaply for each instance. django-filter deep-copies them
    for every FilterSet it makes (every request): their fields, widgets, querysets, hundreds of copies.
    An instance only sets its own `model` and `parent` on its filters, so a shallow copy of each with its
    `method` bound anew (the bound method points at the filter, hence at the new parent) is enough."""

    def __deepcopy__(self, memo) -> OrderedDict:
        return OrderedDict((name, light_copy(filter_)) for name, filter_ in self.items())


def light_copy(filter_: Filter) -> Filter:
    copied = copy.copy(filter_)
    if filter_.method is not None:
        copied.method = filter_.method  # a FilterMethod of its own, resolved on the copy's parent
    return copied


# The form class of each FilterSet class and model: django-filter builds one per instance from the
# filters' fields (a form instance deep-copies the class's fields anyway, so sharing them is safe).
FORM_CLASSES: dict[tuple[type, type], type[forms.Form]] = {}


class RecordFilterSet(df.FilterSet):
    q = SearchFilter(method="filter_q", max_length=200, help_text="Words or names to search for")
    place = IdFilter(method="filter_place", help_text="Id of a place: records about it or about a place inside it")
    country = CountryFilter(
        method="filter_country", help_text="ISO 3166-1 alpha-2 code (e.g. KZ, RU) or the id of a country"
    )
    date_after = PeriodFilter(
        method="filter_date_after",
        help_text="The record's date or period ends on or after this day, month or year (YYYY, YYYY-MM, YYYY-MM-DD)",
    )
    date_before = PeriodFilter(
        method="filter_date_before",
        help_text="The record's date or period starts on or before this day, month or year",
    )
    updated_after = MomentFilter(
        field_name="updated_at", lookup_expr="gte", help_text="Published or changed at or after this time (ISO 8601)"
    )
    source = IdFilter(method="filter_source", help_text="Id of a source the record cites")

    class Meta:
        form = RecordFilterForm

    @classmethod
    def get_filters(cls) -> Filters:
        return Filters(super().get_filters())

    def get_form_class(self) -> type[forms.Form]:
        key = (type(self), self.queryset.model)
        form_class = FORM_CLASSES.get(key)
        if form_class is None:
            form_class = FORM_CLASSES[key] = super().get_form_class()
        return form_class

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search_filter(queryset, value)

    def filter_place(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset.filter(place_ids__contains=[value])

    def filter_country(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if isinstance(value, int):
            return queryset.filter(place_ids__contains=[value])
        country = (
            Place.objects.filter(iso_code=value, kind="country", status="published")
            .values_list("pk", flat=True)
            .first()
        )
        return queryset.filter(place_ids__contains=[country]) if country else queryset.none()

    # Overlap with the record's EDTF bounds; an open or unknown bound (a date that is given but
    # unbounded on that side, e.g. "2001/..") counts as overlapping. Undated records never match.
    def filter_date_after(self, queryset: QuerySet, name: str, value: Period) -> QuerySet:
        return queryset.filter(Q(date_upper__gte=value.lower) | (Q(date_upper__isnull=True) & ~Q(date="")))

    def filter_date_before(self, queryset: QuerySet, name: str, value: Period) -> QuerySet:
        return queryset.filter(Q(date_lower__lte=value.upper) | (Q(date_lower__isnull=True) & ~Q(date="")))

    def filter_source(self, queryset: QuerySet, name: str, value: int) -> QuerySet:
        return queryset.filter(Exists(Citation.objects.filter(record=OuterRef("pk"), source_id=value)))

    def filter_kind(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        return queryset.filter(kind_id__in=value) if value else queryset

    def filter_indicator(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        return queryset.filter(indicator_id__in=value) if value else queryset

    def filter_sphere(self, queryset: QuerySet, name: str, value: list[str]) -> QuerySet:
        if not value:
            return queryset
        through = Agreement.spheres.through.objects.filter(agreement_id=OuterRef("pk"), sphere_id__in=value)
        return queryset.filter(Exists(through))

    def filter_has_coordinates(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        return queryset.filter(latitude__isnull=not value)


# (filter name, model field it reads, vocabulary name in /api/v1/vocabularies/)
VOCABULARY_FILTERS = (
    ("kind", "kind", "Code of the kind"),
    ("sphere", "spheres", "Code of a sphere"),
    ("indicator", "indicator", "Code of the indicator"),
)


def vocabulary_errors(filterset: RecordFilterSet) -> dict[str, list[str]]:
    """Form errors for codes that name no term of their vocabulary (one query per vocabulary filter
    given). Lists call this when they come back empty: an unknown code then explains the emptiness."""
    if not filterset.is_valid():
        return {}
    errors = {}
    for name, filter_ in filterset.filters.items():
        codes = filterset.form.cleaned_data.get(name)
        if not isinstance(filter_, VocabularyFilter) or not codes:
            continue
        field = filterset.form.fields[name]
        known = set(field.queryset.filter(code__in=codes).values_list("code", flat=True))
        missing = next((code for code in codes if code not in known), None)
        if missing is not None:
            errors[name] = [UNKNOWN_CODE % unknown_code(missing, field.vocabulary_name)]
    return errors


def filterset_for(spec: RecordTypeSpec) -> type[RecordFilterSet]:
    """The type's FilterSet: the shared filters plus `kind` and the type's own vocabulary filters."""
    cached = spec.extras.get("filterset")
    if cached is not None:
        return cached
    attrs: dict = {}
    model_fields = {f.name: f for f in spec.model._meta.get_fields()}
    for name, field_name, help_text in VOCABULARY_FILTERS:
        if field_name not in model_fields:
            continue
        vocabulary = vocabulary_of_field(spec.model, field_name)
        attrs[name] = VocabularyFilter(
            method=f"filter_{name}",
            queryset=vocabulary.model.objects.all(),
            vocabulary_name=vocabulary.name,
            help_text=f"{help_text} (see /api/v1/vocabularies/{vocabulary.name}/); repeat for any of several",
        )
    if "latitude" in model_fields:
        attrs["has_coordinates"] = df.BooleanFilter(
            method="filter_has_coordinates", help_text="Only places with (true) or without (false) coordinates"
        )
    meta = type("Meta", (RecordFilterSet.Meta,), {"model": spec.model, "fields": []})
    cls = type(f"{spec.name.capitalize()}FilterSet", (RecordFilterSet,), {**attrs, "Meta": meta})
    spec.extras["filterset"] = cls
    return cls
