"""Organizations and people."""

from django.db import models
from django.db.models import Q

from records.models.base import Link, Record
from records.models.places import Place
from records.models.vocabularies import OrganizationKind


class Organization(Record):
    """Akimat, ministry, department, company, joint venture, association, council, university, archive.
    `date` is its active period."""

    record_ptr = models.OneToOneField(
        Record, parent_link=True, primary_key=True, on_delete=models.CASCADE, related_name="as_organization"
    )

    kind = models.ForeignKey(OrganizationKind, on_delete=models.PROTECT, related_name="+")
    acronym = models.CharField(max_length=40, blank=True, help_text="e.g. AFP RF, SAEKR")
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT, related_name="organizations")
    country = models.ForeignKey(
        Place,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="When only the country is known",
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", help_text="Part of"
    )

    class Meta:
        db_table = "records_organization"
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("record_ptr")),
                name="organization_not_own_parent",
                violation_error_message="An organization cannot be part of itself.",
            ),
        ]


class Person(Record):
    """A person; `name`/`names`/`aliases` hold the spellings; `date` is the life span when known."""

    record_ptr = models.OneToOneField(
        Record, parent_link=True, primary_key=True, on_delete=models.CASCADE, related_name="as_person"
    )

    class Meta:
        db_table = "records_person"


class Position(Link):
    """A position a person held: a title, at an organization, over a period."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="positions")
    title = models.CharField(max_length=300)
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="positions"
    )
    date = models.CharField(max_length=100, blank=True, help_text="EDTF")
    date_lower = models.DateField(null=True, blank=True, editable=False)
    date_upper = models.DateField(null=True, blank=True, editable=False)

    class Meta(Link.Meta):
        db_table = "records_position"
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="position_title_not_empty"),
            models.CheckConstraint(
                condition=Q(date_lower__isnull=True)
                | Q(date_upper__isnull=True)
                | Q(date_lower__lte=models.F("date_upper")),
                name="position_date_bounds_ordered",
            ),
        ]
