"""What the workspace pages answer when the workflow refuses a step, in one place (records/api/errors.py
does the same for the API).

Refusals that end the page are the same everywhere (`refusals_shown`): no right to do it → the
forbidden page (403) with the workflow's reason; no such proposal → 404. The others are shown on the
page the person is on, each page in its own place, from one `Refusal`: invalid content (400) with
the field errors, a conflict with what was published since (409), a proposal in the wrong status (409).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from records.forms.errors import messages_of
from records.workflow.review import Conflict, NotFound, ProposalInvalid, WrongStatus

REFUSALS = (ProposalInvalid, Conflict, WrongStatus)  # shown on the page; see `refusal_of`


@dataclass
class Refusal:
    """A refused step as a page shows it; `code` is the API's for the same refusal."""

    code: str  # invalid, conflict, invalid_state
    status: int
    messages: list[str]  # in the reader's language
    errors: dict[int, Any] = field(default_factory=dict)  # ProposalInvalid's, by item, then by field
    conflict: Conflict | None = None


def refusal_of(exc: ProposalInvalid | Conflict | WrongStatus) -> Refusal:
    if isinstance(exc, ProposalInvalid):
        return Refusal("invalid", 400, messages_of(exc.errors), errors=exc.errors)
    if isinstance(exc, Conflict):
        # Kept in English by the workflow (it is also the e-mail's text); read in the reader's language.
        return Refusal("conflict", 409, [_(exc.message)], conflict=exc)
    return Refusal("invalid_state", 409, [str(exc)])


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "editing/forbidden.html", {"message": message}, status=403)


def refusals_shown(view):
    """The view, with PermissionDenied shown as the forbidden page and the workflow's NotFound as 404."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            return forbidden(request, str(exc) or _("You may not do this."))
        except NotFound:
            raise Http404(_("No such proposal.")) from None

    return wrapped
