"""Search at a million records (records/reads/search.py):

- `record_search_order`: relevance's first-order key within a tier as an index — a hash of the id
  — from which the window of a common word is read in order;
- `record_search_name_list`: the names one by one, for the first tier (a name is the query);
- `records_searchword`: the distinct words of published records' names, for misspelt names, kept
  by two statement-level triggers on records_record (one statement's rows at once, so a bulk load
  costs one pass; words inserted in sorted order, so that concurrent publications never deadlock),
  and filled here from the records already published.
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
SET LOCAL statement_timeout = 0;  -- the backfill below reads every record: minutes at a million
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

NO_TRIGGERS = """
DROP TRIGGER record_search_words_insert ON records_record;
DROP TRIGGER record_search_words_update ON records_record;
DROP FUNCTION bailanys_search_words();
"""


class Migration(migrations.Migration):
    dependencies = [("records", "0009_claims_taken_over")]

    operations = [
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
    ]
