"""Notification.actor: who did what a notice tells (the reviewer who decided, the commenter).

Notices from before stay without one; the notifications page then names the proposal's reviewer for
a decision, and says "New comment on proposal #n." for a comment.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0006_name_similarity"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="notification",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                help_text="Who did what the notice tells (the reviewer, the commenter); empty on older notices",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
