"""The approval run names its worker job, so that a run whose job died can be told from one that waits
(records/workflow/queued_approval.py, approval_check). Runs queued before name the newest approval job
of their proposal."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0017_approval_run"),
        ("procrastinate", "0041_post_retry_failed_job"),
    ]

    operations = [
        migrations.AddField(
            model_name="approvalrun",
            name="job_id",
            field=models.BigIntegerField(blank=True, help_text="The worker's job (procrastinate_jobs.id)", null=True),
        ),
        migrations.RunSQL(
            """
            UPDATE records_approvalrun AS run
               SET job_id = (SELECT max(job.id) FROM procrastinate_jobs AS job
                              WHERE job.task_name = 'records.approve_proposal'
                                AND job.args ->> 'proposal_id' = run.proposal_id::text)
             WHERE run.job_id IS NULL
            """,
            migrations.RunSQL.noop,
        ),
    ]
