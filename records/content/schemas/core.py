"""What every record's content has: the shared core fields, citations and the base of typed links."""

from __future__ import annotations

from django.utils.translation import gettext
from rest_framework import serializers

from records.content.schemas.fields import (
    LINK_READ_ONLY_KEYS,
    READ_ONLY_KEYS,
    EDTFField,
    IdentifiersField,
    LabelsField,
    PlainText,
    RecordRef,
    StrictSerializer,
    text,
)
from records.models import (
    Certainty,
    Succession,
)

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
