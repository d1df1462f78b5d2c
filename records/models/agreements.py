"""Agreements and events, and who took part in them."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from records.models.base import Link, Record
from records.models.places import Place
from records.models.vocabularies import AgreementKind, AgreementLevel, EventKind, Role, Sphere


class Agreement(Record):
    """Agreement, memorandum, contract, protocol, work plan. `date` is when it was signed."""

    record_ptr = models.OneToOneField(
        Record, parent_link=True, primary_key=True, on_delete=models.CASCADE, related_name="as_agreement"
    )

    class Status(models.TextChoices):
        UNKNOWN = "unknown", _("unknown")
        PLANNED = "planned", _("planned")
        SIGNED = "signed", _("signed")
        IN_FORCE = "in_force", _("in force")
        EXPIRED = "expired", _("expired")
        TERMINATED = "terminated", _("terminated")

    kind = models.ForeignKey(AgreementKind, on_delete=models.PROTECT, related_name="+")
    level = models.ForeignKey(AgreementLevel, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    agreement_status = models.CharField(max_length=12, choices=Status.choices, default=Status.SIGNED)
    place_signed = models.ForeignKey(
        Place, null=True, blank=True, on_delete=models.PROTECT, related_name="agreements_signed_here"
    )
    spheres = models.ManyToManyField(Sphere, blank=True, related_name="+", db_table="records_agreement_sphere")
    value_amount = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)
    value_currency = models.CharField(max_length=3, blank=True, help_text="ISO 4217")

    class Meta:
        db_table = "records_agreement"
        constraints = [
            models.CheckConstraint(
                condition=Q(agreement_status__in=["unknown", "planned", "signed", "in_force", "expired", "terminated"]),
                name="agreement_status_known",
            ),
            models.CheckConstraint(
                condition=(Q(value_amount__isnull=True) & Q(value_currency=""))
                | (Q(value_amount__isnull=False) & Q(value_amount__gte=0) & Q(value_currency__regex=r"^[A-Z]{3}$")),
                name="agreement_value_has_currency",
                violation_error_message="A monetary value needs a non-negative amount and an ISO 4217 currency.",
            ),
        ]


class AgreementParty(Link):
    """A party to an agreement — a place, an organization or a person — with its role."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="party_links")
    party = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="agreement_party_links")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="+")

    class Meta(Link.Meta):
        db_table = "records_agreement_party"
        constraints = [
            models.UniqueConstraint(fields=["agreement", "party", "role"], name="agreement_party_unique"),
        ]


class Event(Record):
    """Visit, delegation, meeting, exhibition, forum, conference, festival, opening. `date` is when."""

    record_ptr = models.OneToOneField(
        Record, parent_link=True, primary_key=True, on_delete=models.CASCADE, related_name="as_event"
    )

    kind = models.ForeignKey(EventKind, on_delete=models.PROTECT, related_name="+")
    place = models.ForeignKey(Place, null=True, blank=True, on_delete=models.PROTECT, related_name="events")
    part_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="parts", help_text="A larger event"
    )
    agreements = models.ManyToManyField(
        Agreement,
        blank=True,
        related_name="events",
        db_table="records_event_agreement",
        help_text="Agreements signed at the event",
    )

    class Meta:
        db_table = "records_event"
        constraints = [
            models.CheckConstraint(
                condition=~Q(part_of=models.F("record_ptr")),
                name="event_not_part_of_itself",
                violation_error_message="An event cannot be part of itself.",
            ),
        ]


class EventParticipant(Link):
    """Who took part in an event — a place (a region's delegation), an organization or a person."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participant_links")
    participant = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="event_participant_links")
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="+")

    class Meta(Link.Meta):
        db_table = "records_event_participant"
        constraints = [
            models.UniqueConstraint(fields=["event", "participant", "role"], name="event_participant_unique"),
        ]
