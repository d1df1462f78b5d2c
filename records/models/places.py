"""Places: countries, regions (oblasts), krais, republics, voivodeships, districts, cities."""

from django.db import models
from django.db.models import F, Q

from records.models.base import Link, Record
from records.models.vocabularies import PlaceKind


class Place(Record):
    """A place as it was in its validity period (`date`); predecessors link renamed or merged places."""

    record_ptr = models.OneToOneField(
        Record, parent_link=True, primary_key=True, on_delete=models.CASCADE, related_name="as_place"
    )

    kind = models.ForeignKey(PlaceKind, on_delete=models.PROTECT, related_name="+")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    iso_code = models.CharField(max_length=10, blank=True, db_index=True, help_text="ISO 3166-1 alpha-2 or 3166-2")
    latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        db_table = "records_place"
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("record_ptr")),
                name="place_not_own_parent",
                violation_error_message="A place cannot be its own parent.",
            ),
            models.CheckConstraint(
                condition=Q(iso_code="") | Q(iso_code__regex=r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$"),
                name="place_iso_code_format",
                violation_error_message="An ISO 3166 code looks like KZ or KZ-VOS.",
            ),
            models.CheckConstraint(
                condition=(Q(latitude__isnull=True) & Q(longitude__isnull=True))
                | (
                    Q(latitude__isnull=False)
                    & Q(longitude__isnull=False)
                    & Q(latitude__gte=-90)
                    & Q(latitude__lte=90)
                    & Q(longitude__gte=-180)
                    & Q(longitude__lte=180)
                ),
                name="place_coordinates_valid",
                violation_error_message="Coordinates need both latitude (-90..90) and longitude (-180..180).",
            ),
        ]


class PlaceBorder(Link):
    """A place that borders this one. Stored once, on the record that states it; read both ways."""

    place = models.ForeignKey(Place, on_delete=models.CASCADE, related_name="border_links")
    neighbour = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="bordered_by_links")

    class Meta(Link.Meta):
        db_table = "records_place_border"
        constraints = [
            models.CheckConstraint(
                condition=~Q(place=F("neighbour")),
                name="place_border_not_self",
                violation_error_message="A place cannot border itself.",
            ),
            models.UniqueConstraint(fields=["place", "neighbour"], name="place_border_unique"),
        ]
