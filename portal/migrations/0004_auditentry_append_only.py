"""The audit log is append-only in the database, as revisions are: a trigger refuses UPDATE and DELETE."""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION portal_auditentry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit log is append-only (entry %)', OLD.id
    USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER portal_auditentry_append_only BEFORE UPDATE OR DELETE ON portal_auditentry
  FOR EACH ROW EXECUTE FUNCTION portal_auditentry_append_only();
"""

REVERSE = """
DROP TRIGGER IF EXISTS portal_auditentry_append_only ON portal_auditentry;
DROP FUNCTION IF EXISTS portal_auditentry_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("portal", "0003_user_is_system")]

    operations = [migrations.RunSQL(SQL, REVERSE)]
