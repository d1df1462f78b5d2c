"""What the map and the network read instead of aggregating every matching record per request.

Kept by statement-level triggers (migration 0014_views) in the transaction of every statement that
publishes, edits or withdraws an agreement or event, changes its parties, or moves a party or a place:
the changed records' rows are replaced, and the totals adjusted by the difference.

- `MapPair`: per published agreement or event, each pair of a Kazakh side and a foreign side (where
  a party stands: its region, else its country — records/reads/geography.py), with what the views
  filter the pairs by (type, kind, dates, the partner's country).
- `MapPairTotal`: the same pairs summed over all published records (the unfiltered map).
- `NetworkEnd`: per published agreement or event, its published place and organization parties.
- `NetworkNode`, `NetworkEdge`: their totals (the unfiltered network): records per node, and records
  per pair of nodes.
- `TimelineItem`: per dated published agreement or event and country it is about, its date (the
  timeline filtered by a country).

Totals that fall to zero are kept (with zero): readers skip them.
"""

from __future__ import annotations

from django.db import models


class MapPair(models.Model):
    record_id = models.BigIntegerField()
    is_event = models.BooleanField()
    kind_id = models.CharField(max_length=50)
    date = models.CharField(max_length=100)
    date_lower = models.DateField(null=True)
    date_upper = models.DateField(null=True)
    home_id = models.BigIntegerField()
    partner_id = models.BigIntegerField()
    partner_country_id = models.BigIntegerField()

    class Meta:
        db_table = "records_mappair"
        indexes = [
            models.Index(fields=["record_id"], name="mappair_record"),
            models.Index(
                fields=["partner_country_id", "date_lower"],
                include=["date_upper", "date", "is_event", "kind_id", "home_id", "partner_id", "record_id"],
                name="mappair_country_date",
            ),
        ]


class MapPairTotal(models.Model):
    home_id = models.BigIntegerField()
    partner_id = models.BigIntegerField()
    agreements = models.IntegerField(default=0)
    events = models.IntegerField(default=0)

    class Meta:
        db_table = "records_mappairtotal"
        constraints = [models.UniqueConstraint(fields=["home_id", "partner_id"], name="mappairtotal_pair")]


class NetworkEnd(models.Model):
    record_id = models.BigIntegerField()
    is_event = models.BooleanField()
    node_id = models.BigIntegerField()

    class Meta:
        db_table = "records_networkend"
        indexes = [models.Index(fields=["record_id"], name="networkend_record")]


class NetworkNode(models.Model):
    node_id = models.BigIntegerField(unique=True)
    agreements = models.IntegerField(default=0)
    events = models.IntegerField(default=0)

    class Meta:
        db_table = "records_networknode"


class NetworkEdge(models.Model):
    source_id = models.BigIntegerField()
    target_id = models.BigIntegerField()
    agreements = models.IntegerField(default=0)
    events = models.IntegerField(default=0)

    class Meta:
        db_table = "records_networkedge"
        constraints = [models.UniqueConstraint(fields=["source_id", "target_id"], name="networkedge_pair")]


class TimelineItem(models.Model):
    """Per dated, published agreement or event, one row per country in its place_ids: the timeline
    filtered by a country walks that country's rows in date order (`date_key`: the lower bound, or the
    earliest day when it is open, as the records' own date index)."""

    record_id = models.BigIntegerField()
    country_id = models.BigIntegerField()
    is_event = models.BooleanField()
    kind_id = models.CharField(max_length=50)
    date = models.CharField(max_length=100)
    date_key = models.DateField()
    date_lower = models.DateField(null=True)
    date_upper = models.DateField(null=True)

    class Meta:
        db_table = "records_timelineitem"
        indexes = [
            models.Index(fields=["record_id"], name="timelineitem_record"),
            models.Index(
                fields=["country_id", "is_event", "date_key", "record_id"],
                include=["date_lower", "date_upper", "date", "kind_id"],
                name="timelineitem_country_date",
            ),
        ]
