"""generate_synthetic never mixes synthetic records into a database of real ones unless told to (an
empty database, or one of synthetic records only, is written to: see test_synthetic.py)."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from bench.synthetic import RealDataPresent, synthetic_generate
from bench.synthetic import generate as generating
from records.models import Proposal, Record, Revision
from tests.factories import publish

N = 100  # the fewest a run makes


def generate(**kwargs):
    return synthetic_generate(records=N, seed=1, log=lambda message: None, **kwargs)


def written() -> tuple[int, int, int]:
    return Record.objects.count(), Revision.objects.count(), Proposal.objects.count()


@pytest.fixture
def real(db) -> int:
    """Published records without a synthetic mark, as the article's seed data is; how many there are."""
    for name in ("Kurgan Region", "Pavlodar Region", "East Kazakhstan Region", "Altai Krai"):
        publish("place", name=name, kind="region")
    return Record.objects.published().count()


def test_it_refuses_a_database_of_real_records_and_writes_nothing(real):
    before = written()
    with pytest.raises(RealDataPresent) as refused:
        generate()
    message = str(refused.value)
    assert connection.settings_dict["NAME"] in message
    assert f"holds {real} published records that are not synthetic" in message
    assert "--allow-real-data" in message
    assert written() == before


def test_the_command_refuses_with_a_command_error(real):
    before = written()
    with pytest.raises(CommandError, match=f"holds {real} published records that are not synthetic"):
        call_command("generate_synthetic", records=N, seed=1)
    assert written() == before


def test_the_count_it_gives_stops_at_a_cap(real, monkeypatch):
    monkeypatch.setattr(generating, "REAL_RECORDS_SHOWN", 3)
    with pytest.raises(RealDataPresent, match="holds more than 3 published records"):
        generate()


def test_it_writes_among_real_records_when_allowed(real):
    result = generate(allow_real_data=True)
    assert result.created
    assert Record.objects.published().count() == real + N
    assert Record.objects.filter(identifiers__has_key="synthetic").count() == N


def test_the_command_writes_among_real_records_when_allowed(real, capsys):
    call_command("generate_synthetic", records=N, seed=1, allow_real_data=True)
    assert f"Wrote {N} records" in capsys.readouterr().out
    assert Record.objects.count() == real + N
