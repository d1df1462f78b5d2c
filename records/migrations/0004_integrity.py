"""Integrity the ORM cannot express.

- Revisions are immutable: a trigger refuses UPDATE and DELETE on records_revision.
- `bailanys_unaccent`: an IMMUTABLE wrapper of unaccent() for expression indexes and search.
"""

from django.db import migrations

SQL = r"""
CREATE OR REPLACE FUNCTION records_revision_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'revisions are immutable (revision % of record %)', OLD.number, OLD.record_id
    USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER records_revision_immutable BEFORE UPDATE OR DELETE ON records_revision
  FOR EACH ROW EXECUTE FUNCTION records_revision_immutable();

CREATE OR REPLACE FUNCTION bailanys_unaccent(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;
"""

REVERSE = """
DROP TRIGGER IF EXISTS records_revision_immutable ON records_revision;
DROP FUNCTION IF EXISTS records_revision_immutable();
DROP FUNCTION IF EXISTS bailanys_unaccent(text);
"""


class Migration(migrations.Migration):
    dependencies = [("records", "0003_vocabularies")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
