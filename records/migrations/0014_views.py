"""The map's pairs and the network's ends and totals (records/models/views.py), kept by statement-level
triggers with transition tables, and filled from the published agreements and events, set-based."""

from django.db import migrations, models

# ---------------------------------------------------------------------------------------------------------
# The rows of some agreements and events ({only}: a condition on `rec`, or nothing for all of them).

ENDS = """
    SELECT l.agreement_id AS rec, false AS is_event, l.party_id AS node
    FROM records_agreement_party l WHERE true {only_agreements}
    UNION ALL
    SELECT l.event_id, true, l.participant_id FROM records_event_participant l WHERE true {only_events}
"""

# Where each party stands (its region — the place in its place_ids whose parent is its country — else
# its country), as in records/reads/geography.py; a pair joins a Kazakh side and a foreign side.
PAIRS = """
INSERT INTO records_mappair
    (record_id, is_event, kind_id, date, date_lower, date_upper, home_id, partner_id, partner_country_id)
WITH ends AS ({ends}), live AS (
    SELECT e.rec, e.is_event, e.node, r.date, r.date_lower, r.date_upper,
           COALESCE(a.kind_id, ev.kind_id) AS kind_id
    FROM ends e
    JOIN records_record r ON r.id = e.rec AND r.status = 'published' AND r.record_type IN ('agreement', 'event')
    LEFT JOIN records_agreement a ON a.record_ptr_id = e.rec AND NOT e.is_event
    LEFT JOIN records_event ev ON ev.record_ptr_id = e.rec AND e.is_event
), places AS (
    SELECT n.node, pl.record_ptr_id AS place, pl.kind_id, pl.parent_id, pl.iso_code
    FROM (SELECT DISTINCT node FROM live) n
    JOIN records_record r ON r.id = n.node
    CROSS JOIN LATERAL unnest(r.place_ids) AS inside(id)
    JOIN records_place pl ON pl.record_ptr_id = inside.id
), stands AS (
    SELECT c.node, COALESCE(region.place, c.place) AS place, c.place AS country, c.iso_code = 'KZ' AS home
    FROM places c LEFT JOIN places region ON region.node = c.node AND region.parent_id = c.place
    WHERE c.kind_id = 'country'
), sides AS (
    SELECT DISTINCT l.rec, l.is_event, l.kind_id, l.date, l.date_lower, l.date_upper, s.place, s.country, s.home
    FROM live l JOIN stands s ON s.node = l.node
)
SELECT a.rec, a.is_event, a.kind_id, a.date, a.date_lower, a.date_upper, a.place, b.place, b.country
FROM sides a JOIN sides b ON a.rec = b.rec AND a.home AND NOT b.home
"""

NETWORK_ENDS = """
INSERT INTO records_networkend (record_id, is_event, node_id)
SELECT DISTINCT e.rec, e.is_event, e.node
FROM ({ends}) e
JOIN records_record r ON r.id = e.rec AND r.status = 'published' AND r.record_type IN ('agreement', 'event')
JOIN records_record n ON n.id = e.node AND n.status = 'published' AND n.record_type IN ('place', 'organization')
"""

TIMELINE_ITEMS = """
INSERT INTO records_timelineitem
    (record_id, country_id, is_event, kind_id, date, date_key, date_lower, date_upper)
SELECT r.id, pl.record_ptr_id, r.record_type = 'event', COALESCE(a.kind_id, ev.kind_id), r.date,
       COALESCE(r.date_lower, '0001-01-01'::date), r.date_lower, r.date_upper
FROM records_record r
JOIN records_place pl ON pl.record_ptr_id = ANY(r.place_ids) AND pl.kind_id = 'country'
LEFT JOIN records_agreement a ON a.record_ptr_id = r.id
LEFT JOIN records_event ev ON ev.record_ptr_id = r.id
WHERE r.status = 'published' AND r.record_type IN ('agreement', 'event')
  AND (r.date_lower IS NOT NULL OR r.date_upper IS NOT NULL) {only}
"""

# Totals: the pairs', nodes' and edges' counts of some records ({only}: a condition on record_id), added
# with `sign` (-1 before their rows are replaced, +1 after), upserted in key order (no deadlocks).
PAIR_TOTALS = """
INSERT INTO records_mappairtotal (home_id, partner_id, agreements, events)
SELECT home_id, partner_id, {sign} * count(*) FILTER (WHERE NOT is_event), {sign} * count(*) FILTER (WHERE is_event)
FROM records_mappair WHERE true {only} GROUP BY home_id, partner_id ORDER BY home_id, partner_id
ON CONFLICT (home_id, partner_id) DO UPDATE SET agreements = records_mappairtotal.agreements + EXCLUDED.agreements,
                                                 events = records_mappairtotal.events + EXCLUDED.events
"""
NODE_TOTALS = """
INSERT INTO records_networknode (node_id, agreements, events)
SELECT node_id, {sign} * count(*) FILTER (WHERE NOT is_event), {sign} * count(*) FILTER (WHERE is_event)
FROM records_networkend WHERE true {only} GROUP BY node_id ORDER BY node_id
ON CONFLICT (node_id) DO UPDATE SET agreements = records_networknode.agreements + EXCLUDED.agreements,
                                    events = records_networknode.events + EXCLUDED.events
"""
EDGE_TOTALS = """
INSERT INTO records_networkedge (source_id, target_id, agreements, events)
SELECT a.node_id, b.node_id, {sign} * count(*) FILTER (WHERE NOT a.is_event), {sign} * count(*) FILTER (WHERE a.is_event)
FROM records_networkend a JOIN records_networkend b ON b.record_id = a.record_id AND a.node_id < b.node_id
WHERE true {only_a} GROUP BY a.node_id, b.node_id ORDER BY a.node_id, b.node_id
ON CONFLICT (source_id, target_id) DO UPDATE SET agreements = records_networkedge.agreements + EXCLUDED.agreements,
                                                 events = records_networkedge.events + EXCLUDED.events
"""


def _rows(only: str) -> str:
    """The statements that (re)write the rows and add the totals of the records `only` selects."""
    ends = ENDS.format(only_agreements=only.format(rec="l.agreement_id"), only_events=only.format(rec="l.event_id"))
    return ";\n".join(
        [
            PAIRS.format(ends=ends),
            NETWORK_ENDS.format(ends=ends),
            TIMELINE_ITEMS.format(only=only.format(rec="r.id")),
            PAIR_TOTALS.format(sign=1, only=only.format(rec="record_id")),
            NODE_TOTALS.format(sign=1, only=only.format(rec="record_id")),
            EDGE_TOTALS.format(sign=1, only_a=only.format(rec="a.record_id")),
        ]
    )


ONLY_IDS = "AND {rec} IN (SELECT unnest(ids))"

REFRESH = f"""
CREATE FUNCTION records_views_refresh(ids bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF ids IS NULL OR cardinality(ids) = 0 THEN
        RETURN;
    END IF;
    {PAIR_TOTALS.format(sign=-1, only=ONLY_IDS.format(rec="record_id"))};
    {NODE_TOTALS.format(sign=-1, only=ONLY_IDS.format(rec="record_id"))};
    {EDGE_TOTALS.format(sign=-1, only_a=ONLY_IDS.format(rec="a.record_id"))};
    DELETE FROM records_mappair WHERE record_id IN (SELECT unnest(ids));
    DELETE FROM records_networkend WHERE record_id IN (SELECT unnest(ids));
    DELETE FROM records_timelineitem WHERE record_id IN (SELECT unnest(ids));
    {_rows(ONLY_IDS)};
END
$$;
"""

# The agreements and events whose parties are (or are inside) the records `{rows}` names.
LINKED = """
    SELECT l.agreement_id FROM records_agreement_party l WHERE l.party_id IN ({rows})
    UNION SELECT l.event_id FROM records_event_participant l WHERE l.participant_id IN ({rows})
"""
LINKED_TO_PLACES = """
    SELECT r.id FROM records_record r
    WHERE r.place_ids && ARRAY({rows}) AND r.record_type IN ('agreement', 'event')
    UNION
    SELECT l.agreement_id FROM records_agreement_party l JOIN records_record r ON r.id = l.party_id
    WHERE r.place_ids && ARRAY({rows})
    UNION SELECT l.event_id FROM records_event_participant l JOIN records_record r ON r.id = l.participant_id
    WHERE r.place_ids && ARRAY({rows})
"""
# A record's row changed in what the views read: published or withdrawn, moved, dated, or new/deleted.
RECORD_CHANGED = """
    SELECT n.id, n.record_type FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE (n.status, n.place_ids, n.date, n.date_lower, n.date_upper)
          IS DISTINCT FROM (o.status, o.place_ids, o.date, o.date_lower, o.date_upper)
"""

PLACES_MOVED = LINKED_TO_PLACES.format(
    rows="SELECT n.record_ptr_id FROM new_rows n JOIN old_rows o ON o.record_ptr_id = n.record_ptr_id "
    "WHERE (n.kind_id, n.parent_id, n.iso_code) IS DISTINCT FROM (o.kind_id, o.parent_id, o.iso_code)"
)
PLACES_NEW = LINKED_TO_PLACES.format(rows="SELECT record_ptr_id FROM new_rows")


def _record_ids(changed: str) -> str:
    return (
        f"ARRAY(SELECT id FROM ({changed}) c WHERE record_type IN ('agreement', 'event') "
        f"UNION {LINKED.format(rows=f'SELECT id FROM ({changed}) c')})"
    )


RECORDS_INSERTED = _record_ids("SELECT id, record_type FROM new_rows")
RECORDS_DELETED = _record_ids("SELECT id, record_type FROM old_rows")
RECORDS_UPDATED = _record_ids(RECORD_CHANGED)

TRIGGERS = f"""
CREATE FUNCTION records_views_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ids bigint[];
BEGIN
    IF TG_TABLE_NAME = 'records_agreement_party' THEN
        IF TG_OP = 'INSERT' THEN ids := ARRAY(SELECT DISTINCT agreement_id FROM new_rows);
        ELSIF TG_OP = 'DELETE' THEN ids := ARRAY(SELECT DISTINCT agreement_id FROM old_rows);
        ELSE ids := ARRAY(SELECT agreement_id FROM new_rows UNION SELECT agreement_id FROM old_rows);
        END IF;
    ELSIF TG_TABLE_NAME = 'records_event_participant' THEN
        IF TG_OP = 'INSERT' THEN ids := ARRAY(SELECT DISTINCT event_id FROM new_rows);
        ELSIF TG_OP = 'DELETE' THEN ids := ARRAY(SELECT DISTINCT event_id FROM old_rows);
        ELSE ids := ARRAY(SELECT event_id FROM new_rows UNION SELECT event_id FROM old_rows);
        END IF;
    ELSIF TG_TABLE_NAME IN ('records_agreement', 'records_event') THEN  -- the kind
        IF TG_OP = 'INSERT' THEN ids := ARRAY(SELECT record_ptr_id FROM new_rows);
        ELSIF TG_OP = 'UPDATE' THEN
            ids := ARRAY(SELECT n.record_ptr_id FROM new_rows n JOIN old_rows o ON o.record_ptr_id = n.record_ptr_id
                         WHERE n.kind_id IS DISTINCT FROM o.kind_id);
        END IF;
    ELSIF TG_TABLE_NAME = 'records_place' THEN  -- what makes a place a country, a region, Kazakh
        IF TG_OP = 'UPDATE' THEN
            ids := ARRAY({PLACES_MOVED});
        ELSE
            ids := ARRAY({PLACES_NEW});
        END IF;
    ELSIF TG_TABLE_NAME = 'records_record' THEN
        IF TG_OP = 'INSERT' THEN ids := {RECORDS_INSERTED};
        ELSIF TG_OP = 'DELETE' THEN ids := {RECORDS_DELETED};
        ELSE ids := {RECORDS_UPDATED};
        END IF;
    END IF;
    PERFORM records_views_refresh(ids);
    RETURN NULL;
END
$$;
"""

WATCHED = {
    "records_record": ("INSERT", "UPDATE", "DELETE"),
    "records_agreement_party": ("INSERT", "UPDATE", "DELETE"),
    "records_event_participant": ("INSERT", "UPDATE", "DELETE"),
    "records_agreement": ("INSERT", "UPDATE"),
    "records_event": ("INSERT", "UPDATE"),
    "records_place": ("INSERT", "UPDATE"),
}
REFERENCING = {
    "INSERT": "REFERENCING NEW TABLE AS new_rows",
    "UPDATE": "REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows",
    "DELETE": "REFERENCING OLD TABLE AS old_rows",
}
# Named after publication_bump: fired after it, so a publishing transaction holds the publication
# row's lock (records/migrations/0011_publication.py) before it touches the totals.
CREATE_TRIGGERS = "".join(
    f"CREATE TRIGGER publication_views_{op.lower()} AFTER {op} ON {table} {REFERENCING[op]} "
    "FOR EACH STATEMENT EXECUTE FUNCTION records_views_changed();\n"
    for table, ops in WATCHED.items()
    for op in ops
)
DROP_TRIGGERS = "".join(
    f"DROP TRIGGER IF EXISTS publication_views_{op.lower()} ON {table};\n"
    for table, ops in WATCHED.items()
    for op in ops
)

# Backfill: set-based, every published agreement and event at once.
BACKFILL = "SET LOCAL work_mem = '256MB';\n" + _rows("") + ";\n"
DROP_FUNCTIONS = "DROP FUNCTION records_views_changed();\nDROP FUNCTION records_views_refresh(bigint[]);\n"


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0013_imports"),
    ]

    operations = [
        migrations.CreateModel(
            name="NetworkNode",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("node_id", models.BigIntegerField(unique=True)),
                ("agreements", models.IntegerField(default=0)),
                ("events", models.IntegerField(default=0)),
            ],
            options={
                "db_table": "records_networknode",
            },
        ),
        migrations.CreateModel(
            name="MapPair",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("record_id", models.BigIntegerField()),
                ("is_event", models.BooleanField()),
                ("kind_id", models.CharField(max_length=50)),
                ("date", models.CharField(max_length=100)),
                ("date_lower", models.DateField(null=True)),
                ("date_upper", models.DateField(null=True)),
                ("home_id", models.BigIntegerField()),
                ("partner_id", models.BigIntegerField()),
                ("partner_country_id", models.BigIntegerField()),
            ],
            options={
                "db_table": "records_mappair",
                "indexes": [
                    models.Index(fields=["record_id"], name="mappair_record"),
                    models.Index(
                        fields=["partner_country_id", "date_lower"],
                        include=("date_upper", "date", "is_event", "kind_id", "home_id", "partner_id", "record_id"),
                        name="mappair_country_date",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="MapPairTotal",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("home_id", models.BigIntegerField()),
                ("partner_id", models.BigIntegerField()),
                ("agreements", models.IntegerField(default=0)),
                ("events", models.IntegerField(default=0)),
            ],
            options={
                "db_table": "records_mappairtotal",
                "constraints": [models.UniqueConstraint(fields=("home_id", "partner_id"), name="mappairtotal_pair")],
            },
        ),
        migrations.CreateModel(
            name="NetworkEdge",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("source_id", models.BigIntegerField()),
                ("target_id", models.BigIntegerField()),
                ("agreements", models.IntegerField(default=0)),
                ("events", models.IntegerField(default=0)),
            ],
            options={
                "db_table": "records_networkedge",
                "constraints": [models.UniqueConstraint(fields=("source_id", "target_id"), name="networkedge_pair")],
            },
        ),
        migrations.CreateModel(
            name="NetworkEnd",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("record_id", models.BigIntegerField()),
                ("is_event", models.BooleanField()),
                ("node_id", models.BigIntegerField()),
            ],
            options={
                "db_table": "records_networkend",
                "indexes": [models.Index(fields=["record_id"], name="networkend_record")],
            },
        ),
        migrations.CreateModel(
            name="TimelineItem",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("record_id", models.BigIntegerField()),
                ("country_id", models.BigIntegerField()),
                ("is_event", models.BooleanField()),
                ("kind_id", models.CharField(max_length=50)),
                ("date", models.CharField(max_length=100)),
                ("date_key", models.DateField()),
                ("date_lower", models.DateField(null=True)),
                ("date_upper", models.DateField(null=True)),
            ],
            options={
                "db_table": "records_timelineitem",
                "indexes": [
                    models.Index(fields=["record_id"], name="timelineitem_record"),
                    models.Index(
                        fields=["country_id", "is_event", "date_key", "record_id"],
                        include=("date_lower", "date_upper", "date", "kind_id"),
                        name="timelineitem_country_date",
                    ),
                ],
            },
        ),
        migrations.RunSQL(REFRESH + TRIGGERS + CREATE_TRIGGERS + BACKFILL, DROP_TRIGGERS + DROP_FUNCTIONS),
    ]
