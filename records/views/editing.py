"""Proposing: new records, edits, withdrawals and reverts, through one form generated per type.

Views are thin: they check who is asking, turn what was typed into a state (records/forms), call one
function of the workflow (records/workflow/review.py), and show the result. They never write records
themselves. The record form page is in record_form.py; refusals are shown as views/errors.py says.
"""

from __future__ import annotations

import functools
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from records.content.registry import RecordTypeSpec, registry
from records.forms.dates import edtf_preview
from records.forms.display import Lookups, state_changes
from records.forms.pickers import record_candidates
from records.models import Proposal, ProposalAction, ProposalStatus, Record, RecordStatus, Revision
from records.views.errors import REFUSALS, forbidden, refusal_of, refusals_shown
from records.views.record_form import form_page, number_posted, summary_from_post
from records.workflow import review

LOOKUP_LIMIT = 20


def proposer_required(view):
    """Signed in, and allowed to propose changes (researchers, reviewers, administrators)."""

    @login_required
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not review.can_propose(request.user):
            return forbidden(
                request,
                _("Your account cannot propose changes yet: an administrator grants the researcher role."),
            )
        return view(request, *args, **kwargs)

    return wrapped


def _record(spec: RecordTypeSpec, pk: int) -> Record:
    """The record of this type with this id, published or withdrawn (records exist once published)."""
    return get_object_or_404(Record.objects.filter(record_type=spec.name), pk=pk)


def _withdrawn(request: HttpRequest, spec: RecordTypeSpec, record: Record) -> HttpResponse:
    return render(request, "editing/withdrawn.html", {"spec": spec, "record": record}, status=410)


@proposer_required
@refusals_shown
def record_new(request: HttpRequest, spec: RecordTypeSpec) -> HttpResponse:
    return form_page(request, spec=spec, action=ProposalAction.CREATE, initial=None)


@proposer_required
@refusals_shown
def record_edit(request: HttpRequest, spec: RecordTypeSpec, pk: int) -> HttpResponse:
    record = _record(spec, pk)
    if record.status == RecordStatus.WITHDRAWN:
        return _withdrawn(request, spec, record)
    snapshot = Revision.objects.get(record=record, number=record.revision).snapshot
    return form_page(
        request, spec=spec, action=ProposalAction.UPDATE, initial=snapshot, record=record, base_revision=record.revision
    )


# ------------------------------------------------------------------ a withdrawal, a revert


def _one_change_page(
    request: HttpRequest, template: str, context: dict[str, Any], item: review.ItemInput, done: str
) -> HttpResponse:
    """A change that is fixed by the page (a withdrawal, a revert); the author says why. Shown; or proposed,
    then the proposal's page; or shown again with what is wrong (as bad input, 400, whatever was refused)."""
    context.setdefault("summary", "")
    if request.method != "POST":
        return render(request, template, context)
    errors: list[str] = []
    context["summary"] = summary = summary_from_post(request, errors)
    if not errors:
        try:
            proposal = review.proposal_save(author=request.user, items=[item], summary=summary)
        except REFUSALS as exc:
            errors += refusal_of(exc).messages
        else:
            messages.success(request, done)
            return redirect("editing:proposal", pk=proposal.pk)
    context["errors"] = errors
    return render(request, template, context, status=400)


@proposer_required
@refusals_shown
def record_withdraw(request: HttpRequest, spec: RecordTypeSpec, pk: int) -> HttpResponse:
    record = _record(spec, pk)
    if record.status == RecordStatus.WITHDRAWN:
        return _withdrawn(request, spec, record)
    base_revision = number_posted(request.POST.get("base_revision", ""))
    item = review.ItemInput(
        action=ProposalAction.WITHDRAW,
        record_type=spec.name,
        record_id=record.pk,
        base_revision=record.revision if base_revision is None else base_revision,
    )
    context = {"spec": spec, "record": record, "base_revision": record.revision}
    done = _("Your proposal to withdraw this record was submitted for review.")
    return _one_change_page(request, "editing/withdraw.html", context, item, done)


@proposer_required
@refusals_shown
def record_revert(request: HttpRequest, spec: RecordTypeSpec, pk: int, number: int) -> HttpResponse:
    record = _record(spec, pk)
    revisions = {
        r.number: r
        for r in Revision.objects.filter(record=record, number__in=[number, record.revision]).select_related(
            "author", "reviewer"
        )
    }
    target = revisions.get(number)
    if target is None:
        raise Http404(_("No such revision."))
    current = revisions[record.revision]
    lookups = Lookups()
    lookups.load(spec.name, [current.snapshot, target.snapshot])
    item = review.ItemInput(
        action=ProposalAction.REVERT,
        record_type=spec.name,
        record_id=record.pk,
        base_revision=record.revision,
        revert_to=number,
    )
    context = {
        "spec": spec,
        "record": record,
        "target": target,
        "current": current,
        "changes": state_changes(spec.name, current.snapshot, target.snapshot, lookups),
    }
    done = _("Your proposal to revert this record was submitted for review.")
    return _one_change_page(request, "editing/revert.html", context, item, done)


# ------------------------------------------------------------------ an open proposal


@login_required
@refusals_shown
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The author changes a draft or a submitted proposal (one change of it at a time)."""
    proposal = get_object_or_404(Proposal.objects.filter(author=request.user), pk=pk)
    if proposal.status not in (ProposalStatus.DRAFT, ProposalStatus.SUBMITTED):
        messages.error(request, _("This proposal was decided or withdrawn; it cannot change any more."))
        return redirect("editing:proposal", pk=proposal.pk)
    items = list(proposal.items.select_related("record"))
    raw_index = request.GET.get("item", request.POST.get("item", "0"))
    index = int(raw_index) if raw_index.isascii() and raw_index.isdigit() and int(raw_index) < len(items) else 0
    item = items[index]
    if item.action not in (ProposalAction.CREATE, ProposalAction.UPDATE):
        messages.error(request, _("A withdrawal or a revert has nothing to edit; withdraw it and propose again."))
        return redirect("editing:proposal", pk=proposal.pk)
    return form_page(
        request,
        spec=registry.get(item.record_type),
        action=item.action,
        initial=item.data,
        record=item.record,
        base_revision=item.base_revision,
        proposal=proposal,
        item_index=index,
    )


# ------------------------------------------------------------------ small JSON endpoints for the form


@require_GET
def edtf_preview_json(request: HttpRequest) -> JsonResponse:
    """What a typed EDTF date means, for the form's live preview."""
    value = request.GET.get("value", "")[:200]
    return JsonResponse(edtf_preview(value))


@require_GET
def record_lookup_json(request: HttpRequest) -> JsonResponse:
    """Published records of the allowed types whose names match `q`: at most 20, best first."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": _("Sign in to use the record picker.")}, status=401)
    query = request.GET.get("q", "").strip()[:100]
    wanted = [t for t in request.GET.get("types", "").split(",") if registry.find(t)] or registry.names()
    if query.isascii() and query.isdigit() and len(query) < 19:
        found = list(Record.objects.published().filter(record_type__in=wanted, pk=int(query)))
    elif len(query) >= 2:
        found = record_candidates(query, tuple(wanted), limit=LOOKUP_LIMIT)
    else:
        found = []
    return JsonResponse(
        {
            "results": [
                {
                    "id": record.pk,
                    "type": record.record_type,
                    "type_label": str(registry.get(record.record_type).verbose_name),
                    "plural": registry.get(record.record_type).plural,
                    "name": record.display_label,
                }
                for record in found[:LOOKUP_LIMIT]
            ]
        }
    )
