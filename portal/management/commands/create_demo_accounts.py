"""python manage.py create_demo_accounts: a researcher, a reviewer and an administrator for `make demo`.

Passwords are generated once and kept in .state/demo-accounts.json (git-ignored), so they stay the
same across runs; they are printed every run. Demo accounts with printed passwords must never exist
in production, so the command refuses to run unless DEBUG is on (`make demo` sets DJANGO_DEBUG=1).
Accounts are made by create_user, so roles and the verified e-mail address are set the same way.
"""

import json
import secrets
import string
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from portal.models import Role

DEMO_ACCOUNTS = [
    ("demo-researcher", Role.RESEARCHER, "Demo Researcher"),
    ("demo-reviewer", Role.REVIEWER, "Demo Reviewer"),
    ("demo-admin", Role.ADMIN, "Demo Administrator"),
]
DEFAULT_STATE_FILE = Path(settings.BASE_DIR) / ".state" / "demo-accounts.json"
# Letters and digits only: easy to type, and never mistaken for an option ("-x...") on a command line.
ALPHABET = string.ascii_letters + string.digits


def new_password() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(16))


def usable(value: object) -> bool:
    return isinstance(value, str) and len(value) >= 12 and not value.startswith("-")


def demo_passwords(path: Path) -> dict[str, str]:
    """The demo accounts' passwords, generated on first use and kept in `path`."""
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        stored = {}
    if not isinstance(stored, dict):
        stored = {}
    passwords = {
        username: stored[username] if usable(stored.get(username)) else new_password()
        for username, _role, _name in DEMO_ACCOUNTS
    }
    if passwords != stored:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(passwords, indent=2) + "\n", encoding="utf-8")
        path.chmod(0o600)
    return passwords


class Command(BaseCommand):
    help = "Create the demo accounts (researcher, reviewer, administrator) and print their passwords. DEBUG only."

    def add_arguments(self, parser):
        parser.add_argument(
            "--state-file", type=Path, default=DEFAULT_STATE_FILE, help="Where the generated passwords are kept"
        )

    def handle(self, *args, state_file: Path, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Refusing to create demo accounts with printed passwords while DEBUG is off; "
                "they are for `make demo` only (run with DJANGO_DEBUG=1)."
            )
        passwords = demo_passwords(state_file)
        for username, role, display_name in DEMO_ACCOUNTS:
            call_command(
                "create_user",
                username,
                role=[role],
                password=passwords[username],
                email=f"{username}@example.org",
                name=display_name,
                stdout=StringIO(),
            )
        self.stdout.write(f"Demo accounts (passwords kept in {state_file}):")
        for username, role, _name in DEMO_ACCOUNTS:
            self.stdout.write(f"  {Role(role).label:<14} {username:<16} {passwords[username]}")
