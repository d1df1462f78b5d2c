"""python manage.py create_user NAME --role researcher|reviewer|admin --password P  (no prompts).

With --email the address is stored as verified: API tokens are given only to accounts with a verified
e-mail address (records/api/views/tokens.py)."""

from allauth.account.models import EmailAddress
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from portal.models import Role, User
from portal.roles import user_set_roles


class Command(BaseCommand):
    help = "Create (or update) an account with a role and a password, without prompts."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--role", required=True, choices=Role.values, action="append", help="May be given more than once"
        )
        parser.add_argument("--password", required=True)
        parser.add_argument("--email", default="")
        parser.add_argument("--name", default="", help="Display name shown on public pages")

    def handle(self, *args, username, role, password, email, name, **options):
        if not username.strip():
            raise CommandError("The user name cannot be empty.")
        with transaction.atomic():
            user, created = User.objects.get_or_create(username=username, defaults={"email": email})
            try:
                validate_password(password, user)
            except ValidationError as exc:
                raise CommandError("Password refused: " + " ".join(exc.messages)) from exc
            user.set_password(password)
            if email:
                user.email = email
            if name:
                user.display_name = name
            user.save()
            if user.email:
                EmailAddress.objects.update_or_create(
                    user=user, email=user.email, defaults={"verified": True, "primary": True}
                )
            user_set_roles(user=user, roles=list(dict.fromkeys(role)))
        self.stdout.write(f"{'Created' if created else 'Updated'} {username} ({', '.join(role)})")
        if not user.email:
            self.stdout.write("No e-mail address: the account cannot take API tokens until it has a verified one.")
