"""A deadlock PostgreSQL breaks is retried by the workflow, never shown to the person approving."""

import pytest
from django.db import OperationalError

from records.workflow.steps import retried_on_deadlock


class PostgresError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def failing(sqlstate: str, times: int):
    """A step that fails `times` times as PostgreSQL would (Django's error caused by the driver's)."""
    calls = []

    def step():
        calls.append(1)
        if len(calls) <= times:
            raise OperationalError("deadlock detected") from PostgresError(sqlstate)
        return "done"

    return step, calls


def test_a_step_aborted_by_a_deadlock_runs_again():
    step, calls = failing("40P01", times=2)
    assert retried_on_deadlock(step)() == "done"
    assert len(calls) == 3


def test_a_deadlock_that_keeps_coming_is_raised_after_a_few_attempts():
    step, calls = failing("40P01", times=5)
    with pytest.raises(OperationalError):
        retried_on_deadlock(step)()
    assert len(calls) == 3


def test_other_database_errors_are_not_retried():
    step, calls = failing("57014", times=1)  # statement timeout
    with pytest.raises(OperationalError):
        retried_on_deadlock(step)()
    assert len(calls) == 1
