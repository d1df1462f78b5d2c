"""Controlled vocabularies: data that administrators maintain, with labels in each language.

Each vocabulary is its own small table so that the database guarantees a place's kind is a place
kind and an agreement's sphere is a sphere. A term's `code` is its stable identifier (it is what the
API, proposals and revisions store); labels can change freely.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from records.models.base import pick_label


class Vocabulary(models.Model):
    code = models.SlugField(max_length=60, primary_key=True, allow_unicode=False)
    labels = models.JSONField(default=dict, help_text='{"en": ..., "ru": ..., "kk": ...}')
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True, help_text="Inactive terms stay on old records but cannot be chosen")

    class Meta:
        abstract = True
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return pick_label(self.labels, self.code)

    @classmethod
    def vocabulary_constraints(cls, prefix: str) -> list:
        return [
            models.CheckConstraint(
                condition=Q(labels__has_key="en"),
                name=f"{prefix}_has_english_label",
                violation_error_message="Every term needs an English label.",
            ),
            models.CheckConstraint(condition=Q(code__regex=r"^[a-z0-9_]+$"), name=f"{prefix}_code_format"),
        ]


class PlaceKind(Vocabulary):
    """country, region (oblast), krai, republic, autonomous region, voivodeship, district, city..."""

    class Meta(Vocabulary.Meta):
        constraints = Vocabulary.vocabulary_constraints("placekind")
        verbose_name = _("place kind")


class OrganizationKind(Vocabulary):
    """akimat, ministry, department, company, joint venture, association, council, university, archive..."""

    class Meta(Vocabulary.Meta):
        constraints = Vocabulary.vocabulary_constraints("organizationkind")
        verbose_name = _("organization kind")


class AgreementKind(Vocabulary):
    """agreement, memorandum, contract, protocol, work plan..."""

    class Meta(Vocabulary.Meta):
        constraints = Vocabulary.vocabulary_constraints("agreementkind")
        verbose_name = _("agreement kind")


class AgreementLevel(Vocabulary):
    """intergovernmental, interregional, institutional, commercial."""

    class Meta(Vocabulary.Meta):
        constraints = Vocabulary.vocabulary_constraints("agreementlevel")
        verbose_name = _("agreement level")


class EventKind(Vocabulary):
    """visit, delegation, meeting, exhibition, forum, conference, festival, opening..."""

    class Meta(Vocabulary.Meta):
        constraints = Vocabulary.vocabulary_constraints("eventkind")
        verbose_name = _("event kind")


class Sphere(Vocabulary):
    """trade, economic, scientific, technical, humanitarian, cultural, tourism, education..."""

    class Meta(Vocabulary.Meta):
        constraints = Vocabulary.vocabulary_constraints("sphere")
        verbose_name = _("sphere")


class Indicator(Vocabulary):
    """trade turnover, exports, imports, investment, repatriates, tourists, facilities..."""

    class Meta(Vocabulary.Meta):
        constraints = Vocabulary.vocabulary_constraints("indicator")
        verbose_name = _("indicator")


class Role(Vocabulary):
    """What a party or participant was: signatory, party, host, guest, organizer, head of delegation..."""

    class Meta(Vocabulary.Meta):
        constraints = Vocabulary.vocabulary_constraints("role")
        verbose_name = _("role")


class Unit(Vocabulary):
    """Units of non-monetary figures: persons, percent, units, houses, companies, tonnes..."""

    class Meta(Vocabulary.Meta):
        constraints = Vocabulary.vocabulary_constraints("unit")
        verbose_name = _("unit")


class SourceKind(Vocabulary):
    """archival file, book, edited book, journal article, web page, document collection..."""

    class Meta(Vocabulary.Meta):
        constraints = Vocabulary.vocabulary_constraints("sourcekind")
        verbose_name = _("source kind")


VOCABULARIES = [
    PlaceKind,
    OrganizationKind,
    AgreementKind,
    AgreementLevel,
    EventKind,
    Sphere,
    Indicator,
    Role,
    Unit,
    SourceKind,
]
