"""`record_type_search_order`: the hash order of the published records of each type, so that a facet's
uniform sample of a filtered list (records/reads/facets.py `matches_sample`) walks only that type's
records in hash order and stops after its sample, instead of reading every record a broad filter (a
sphere, a country) leaves. About 0.3 s at 100,000 records; seconds at a million."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0015_views_without_jit"),
    ]

    operations = [
        migrations.RunSQL("SET LOCAL statement_timeout = 0", migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name="record",
            index=models.Index(
                models.F("record_type"),
                models.Func(models.F("id"), function="hashint8", output_field=models.BigIntegerField()),
                models.F("id"),
                condition=models.Q(("status", "published")),
                name="record_type_search_order",
            ),
        ),
    ]
