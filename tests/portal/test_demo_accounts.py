"""`make demo` accounts: created only with DEBUG on, with passwords that stay the same across runs."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError


def test_it_refuses_to_run_without_debug(db, settings, tmp_path):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("create_demo_accounts", state_file=tmp_path / "demo.json")
    assert not get_user_model().objects.filter(username__startswith="demo-").exists()
    assert not (tmp_path / "demo.json").exists()


def test_it_creates_a_researcher_a_reviewer_and_an_administrator(db, settings, tmp_path, capsys):
    settings.DEBUG = True
    state_file = tmp_path / "demo.json"
    call_command("create_demo_accounts", state_file=state_file)
    printed = capsys.readouterr().out
    passwords = json.loads(state_file.read_text())
    User = get_user_model()
    for username, role in [("demo-researcher", "researcher"), ("demo-reviewer", "reviewer"), ("demo-admin", "admin")]:
        user = User.objects.get(username=username)
        assert user.has_role(role)
        assert user.check_password(passwords[username])
        assert f"{username:<16} {passwords[username]}" in printed
        assert EmailAddress.objects.get(user=user).verified
    assert User.objects.get(username="demo-admin").is_staff
    assert not User.objects.get(username="demo-reviewer").is_staff


def test_the_passwords_stay_the_same_across_runs(db, settings, tmp_path, capsys):
    settings.DEBUG = True
    state_file = tmp_path / "demo.json"
    call_command("create_demo_accounts", state_file=state_file)
    first = json.loads(state_file.read_text())
    call_command("create_demo_accounts", state_file=state_file)
    assert json.loads(state_file.read_text()) == first
    assert get_user_model().objects.get(username="demo-reviewer").check_password(first["demo-reviewer"])
    assert capsys.readouterr().out.count(first["demo-admin"]) == 2


def test_a_stored_password_that_cannot_be_passed_on_a_command_line_is_replaced(db, settings, tmp_path):
    settings.DEBUG = True
    state_file = tmp_path / "demo.json"
    state_file.write_text(
        json.dumps({"demo-researcher": "-looks-like-an-option", "demo-reviewer": "kept as it was 12"})
    )
    call_command("create_demo_accounts", state_file=state_file)
    passwords = json.loads(state_file.read_text())
    assert not passwords["demo-researcher"].startswith("-")
    assert passwords["demo-reviewer"] == "kept as it was 12"
    assert get_user_model().objects.get(username="demo-researcher").check_password(passwords["demo-researcher"])
