"""The publication version (records.models.publication) and the triggers that bump it.

Every statement that writes a published table bumps the version in its own transaction: a
statement-level trigger (one cheap upsert per statement, however many rows it writes — COPY included),
so neither the workflow, the seed loader, the synthetic generator nor a hand-written SQL fix can
publish without it. A later migration that adds a published table (a read model, a new link table)
calls `SELECT records_publication_watch('<table>')`.

The bump updates one row, so publishing transactions hold its lock from their first write to their
commit and commit one after another: that is what makes versions follow commit order (a reader that
sees version N sees every write made under N). Approvals lock their records first, in id order, and
take this lock only with their first write, after those, so it adds no deadlock between them.
"""

from django.db import migrations, models

# Everything readers see: the record core, the per-type and link tables, revisions (public history),
# citations, successions and the controlled vocabularies (their labels appear on pages and in the API).
PUBLISHED_TABLES = [
    "records_record",
    "records_reading",
    "records_revision",
    "records_citation",
    "records_succession",
    "records_place",
    "records_place_border",
    "records_organization",
    "records_person",
    "records_position",
    "records_agreement",
    "records_agreement_party",
    "records_agreement_sphere",
    "records_event",
    "records_event_participant",
    "records_event_agreement",
    "records_statistic",
    "records_statistic_subject",
    "records_source",
    "records_agreementkind",
    "records_agreementlevel",
    "records_eventkind",
    "records_indicator",
    "records_organizationkind",
    "records_placekind",
    "records_role",
    "records_sourcekind",
    "records_sphere",
    "records_unit",
]

FUNCTIONS = """
CREATE SEQUENCE records_publication_version_seq;

CREATE FUNCTION records_publication_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- A fresh number from the sequence (never handed out twice, even after a rollback) and the time;
    -- published_at never goes backwards, whichever transaction bumps first.
    INSERT INTO records_publication (id, version, published_at)
    VALUES (1, nextval('records_publication_version_seq'), clock_timestamp())
    ON CONFLICT (id) DO UPDATE
        SET version = EXCLUDED.version,
            published_at = greatest(EXCLUDED.published_at, records_publication.published_at);
    RETURN NULL;
END
$$;

CREATE FUNCTION records_publication_watch(target regclass) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format(
        'CREATE TRIGGER publication_bump AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %s '
        'FOR EACH STATEMENT EXECUTE FUNCTION records_publication_bump()',
        target
    );
END
$$;

INSERT INTO records_publication (id, version, published_at)
VALUES (1, nextval('records_publication_version_seq'), clock_timestamp());
"""

WATCH = "".join(f"SELECT records_publication_watch('{table}');\n" for table in PUBLISHED_TABLES) + (
    # Accounts: only the names shown with revisions (a sign-in's last_login must not invalidate anything).
    "CREATE TRIGGER publication_bump AFTER UPDATE OF display_name, username ON portal_user "
    "FOR EACH STATEMENT EXECUTE FUNCTION records_publication_bump();\n"
)

UNWATCH = "".join(
    f"DROP TRIGGER IF EXISTS publication_bump ON {table};\n" for table in [*PUBLISHED_TABLES, "portal_user"]
) + (
    "DROP FUNCTION records_publication_watch(regclass);\n"
    "DROP FUNCTION records_publication_bump();\n"
    "DROP SEQUENCE records_publication_version_seq;\n"
)


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0010_reading"),
    ]

    operations = [
        migrations.CreateModel(
            name="Publication",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("version", models.BigIntegerField()),
                ("published_at", models.DateTimeField()),
            ],
            options={
                "db_table": "records_publication",
                "constraints": [models.CheckConstraint(condition=models.Q(("id", 1)), name="publication_single_row")],
            },
        ),
        migrations.RunSQL(FUNCTIONS + WATCH, UNWATCH),
    ]
