"""Search at a million records (records/reads/search.py):

- `record_search_order`: relevance's first-order key within a tier as an index — a hash of the id
  — from which the window of a common word is read in order;
- `record_search_name_list`: the names one by one, for the first tier (a name is the query);
- `records_searchword`: the distinct words of published records' names, for misspelt names, kept
  by two statement-level triggers on records_record (one statement's rows at once, so a bulk load
  costs one pass; words inserted in sorted order, so that concurrent publications never deadlock),
  and filled here from the records already published;
- `facet_keys` and `records_facetcount`: what the list facets count each record under, and the
  counts per type and key of the published records, kept by statement-level triggers on
  records_record (the difference of the statement's old and new rows, keys upserted in sorted
  order); the keys of the records already published are derived here, set-based.
"""

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
from django.db import migrations, models

WORDS_OF_ROWS = """
    INSERT INTO records_searchword (word)
    SELECT DISTINCT w FROM {rows}, unnest(tsvector_to_array(to_tsvector('simple'::regconfig, {rows}.search_names))) AS w
    WHERE {rows}.status = 'published' AND length(w) BETWEEN 3 AND 100
    ORDER BY w
    ON CONFLICT DO NOTHING
"""

TRIGGERS = f"""
CREATE FUNCTION bailanys_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {WORDS_OF_ROWS.format(rows="changed")};
  RETURN NULL;
END $$;
CREATE TRIGGER record_search_words_insert AFTER INSERT ON records_record
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bailanys_search_words();
CREATE TRIGGER record_search_words_update AFTER UPDATE ON records_record
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION bailanys_search_words();
{WORDS_OF_ROWS.format(rows="records_record")};
"""

COUNT_DELTA = """
    INSERT INTO records_facetcount (record_type, key, count)
    SELECT record_type, key, sum(delta) FROM ({rows}) AS changes
    GROUP BY record_type, key HAVING sum(delta) <> 0 ORDER BY record_type, key
    ON CONFLICT (record_type, key) DO UPDATE SET count = records_facetcount.count + EXCLUDED.count
"""
ADDED = "SELECT record_type, unnest(facet_keys) AS key, 1 AS delta FROM new_rows WHERE status = 'published'"
REMOVED = "SELECT record_type, unnest(facet_keys) AS key, -1 AS delta FROM old_rows WHERE status = 'published'"

FACET_TRIGGERS = f"""
CREATE FUNCTION bailanys_facet_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    {COUNT_DELTA.format(rows=ADDED)};
  ELSIF TG_OP = 'UPDATE' THEN
    {COUNT_DELTA.format(rows=ADDED + " UNION ALL " + REMOVED)};
  ELSE
    {COUNT_DELTA.format(rows=REMOVED)};
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER record_facet_counts_insert AFTER INSERT ON records_record
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bailanys_facet_counts();
CREATE TRIGGER record_facet_counts_update AFTER UPDATE ON records_record
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION bailanys_facet_counts();
CREATE TRIGGER record_facet_counts_delete AFTER DELETE ON records_record
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION bailanys_facet_counts();
"""

NO_FACET_TRIGGERS = """
DROP TRIGGER record_facet_counts_insert ON records_record;
DROP TRIGGER record_facet_counts_update ON records_record;
DROP TRIGGER record_facet_counts_delete ON records_record;
DROP FUNCTION bailanys_facet_counts();
"""


def facet_keys_derive(apps, schema_editor):
    from records.workflow.indexing import facet_keys_rebuild

    facet_keys_rebuild()


NO_TRIGGERS = """
DROP TRIGGER record_search_words_insert ON records_record;
DROP TRIGGER record_search_words_update ON records_record;
DROP FUNCTION bailanys_search_words();
"""


class Migration(migrations.Migration):
    dependencies = [("records", "0011_publication")]

    operations = [
        # Indexes and derived columns over every record: minutes at a million, past the usual timeout.
        migrations.RunSQL("SET LOCAL statement_timeout = 0", migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="record",
            index=models.Index(
                models.Func(models.F("id"), function="hashint8", output_field=models.BigIntegerField()),
                models.F("id"),
                condition=models.Q(("status", "published")),
                name="record_search_order",
            ),
        ),
        migrations.AddIndex(
            model_name="record",
            index=django.contrib.postgres.indexes.GinIndex(
                models.Func(
                    models.F("search_names"),
                    models.Value(" | "),
                    function="string_to_array",
                    output_field=django.contrib.postgres.fields.ArrayField(base_field=models.TextField(), size=None),
                ),
                name="record_search_name_list",
            ),
        ),
        migrations.CreateModel(
            name="SearchWord",
            fields=[("word", models.TextField(primary_key=True, serialize=False))],
            options={
                "db_table": "records_searchword",
                "indexes": [
                    django.contrib.postgres.indexes.GinIndex(
                        fields=["word"], name="searchword_word_trgm", opclasses=["gin_trgm_ops"]
                    )
                ],
            },
        ),
        migrations.RunSQL(TRIGGERS, NO_TRIGGERS),
        migrations.AddField(
            model_name="record",
            name="facet_keys",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.TextField(), blank=True, default=list, editable=False, size=None
            ),
        ),
        # Rows written without the field (bulk loads, bench/bulk.py) get no keys until facet_keys_rebuild.
        migrations.RunSQL(
            "ALTER TABLE records_record ALTER COLUMN facet_keys SET DEFAULT '{}'",
            "ALTER TABLE records_record ALTER COLUMN facet_keys DROP DEFAULT",
        ),
        migrations.CreateModel(
            name="FacetCount",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("record_type", models.CharField(max_length=20)),
                ("key", models.TextField()),
                ("count", models.IntegerField(default=0)),
            ],
            options={
                "db_table": "records_facetcount",
                "constraints": [models.UniqueConstraint(fields=("record_type", "key"), name="facetcount_type_key")],
            },
        ),
        migrations.RunSQL(FACET_TRIGGERS, NO_FACET_TRIGGERS),
        migrations.RunPython(facet_keys_derive, migrations.RunPython.noop),
    ]
