"""Statistics: observed figures with their subjects, period, value and unit or currency."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from records.models.base import Link, Record
from records.models.vocabularies import Indicator, Role, Unit


class Statistic(Record):
    """An observed figure: trade turnover, exports, repatriates, tourists... `date` is the period observed.

    The value is a decimal, never a float. Exactly one of `unit` and `currency` says what it counts.
    """

    record_ptr = models.OneToOneField(
        Record, parent_link=True, primary_key=True, on_delete=models.CASCADE, related_name="as_statistic"
    )

    class Qualifier(models.TextChoices):
        EXACT = "exact", _("exactly")
        APPROXIMATE = "approximate", _("about")
        AT_LEAST = "at_least", _("at least")
        MORE_THAN = "more_than", _("more than")
        AT_MOST = "at_most", _("at most")

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(max_digits=24, decimal_places=4)
    value_qualifier = models.CharField(max_length=12, choices=Qualifier.choices, default=Qualifier.EXACT)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    currency = models.CharField(max_length=3, blank=True, help_text="ISO 4217")
    reliability_note = models.TextField(blank=True, help_text="How far the source's figure can be trusted")

    class Meta:
        db_table = "records_statistic"
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit__isnull=False) & Q(currency=""))
                | (Q(unit__isnull=True) & Q(currency__regex=r"^[A-Z]{3}$")),
                name="statistic_unit_xor_currency",
                violation_error_message="A figure has either a unit or an ISO 4217 currency, not both.",
            ),
            models.CheckConstraint(
                condition=Q(value_qualifier__in=["exact", "approximate", "at_least", "more_than", "at_most"]),
                name="statistic_qualifier_known",
            ),
        ]


class StatisticSubject(Link):
    """A place or organization a figure is about (e.g. both partners of a trade turnover)."""

    statistic = models.ForeignKey(Statistic, on_delete=models.CASCADE, related_name="subject_links")
    subject = models.ForeignKey(Record, on_delete=models.PROTECT, related_name="statistic_subject_links")
    role = models.ForeignKey(Role, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta(Link.Meta):
        db_table = "records_statistic_subject"
        constraints = [
            models.UniqueConstraint(fields=["statistic", "subject"], name="statistic_subject_unique"),
        ]
