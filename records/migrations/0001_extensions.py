"""PostgreSQL extensions the portal relies on: trigram matching, accent-insensitive search, GiST btree."""

from django.contrib.postgres.operations import BtreeGistExtension, TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [TrigramExtension(), UnaccentExtension(), BtreeGistExtension()]
