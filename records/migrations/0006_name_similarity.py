"""bailanys_name_similarity(names, query): the trigram similarity of the query to the closest single
name in a record's `search_names` (names are separated by " | "), for ranking: a search for "Kurgan"
ranks Kurgan Region above an agreement whose long title merely contains the word."""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION bailanys_name_similarity(names text, query text) RETURNS real
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT coalesce(max(public.similarity(name, query)), 0)::real
        FROM unnest(string_to_array(names, ' | ')) AS name $$;
"""


class Migration(migrations.Migration):
    dependencies = [("records", "0005_seed_terms")]
    operations = [migrations.RunSQL(SQL, "DROP FUNCTION IF EXISTS bailanys_name_similarity(text, text);")]
