"""Proposing: new records, edits, withdrawals and reverts, through one form generated per type.

Views are thin: they check who is asking, turn what was typed into a state (records/forms), call one
function of records/review.py, and show the result. They never write records themselves.
"""

from __future__ import annotations

import functools
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from rest_framework import serializers

from records.content import schemas
from records.content.registry import RecordTypeSpec, registry
from records.forms.dates import edtf_preview
from records.forms.display import Lookups, state_changes, state_conflicts
from records.forms.state_form import StateForm, record_candidates
from records.models import Proposal, ProposalAction, ProposalStatus, Record, RecordStatus, Revision
from records.workflow import review
from records.workflow.publishing import ContentInvalid, state_validate

LOOKUP_LIMIT = 20


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "editing/forbidden.html", {"message": message}, status=403)


def proposer_required(view):
    """Signed in, and allowed to propose changes (researchers, reviewers, administrators)."""

    @login_required
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not review.can_propose(request.user):
            return _forbidden(
                request,
                _("Your account cannot propose changes yet: an administrator grants the researcher role."),
            )
        return view(request, *args, **kwargs)

    return wrapped


def _record(spec: RecordTypeSpec, pk: int) -> Record:
    """The record of this type with this id, published or withdrawn (records exist once published)."""
    return get_object_or_404(Record.objects.filter(record_type=spec.name), pk=pk)


def _summary(request: HttpRequest, errors: list[str], *, required: bool = True) -> str:
    summary = request.POST.get("summary", "").strip()
    if required and not summary:
        errors.append(_("Say in a sentence what this change does and why."))
    elif len(summary) > 500:
        errors.append(_("Keep the summary under 500 characters."))
    else:
        try:
            schemas.plain_text(summary)
        except serializers.ValidationError as exc:
            errors.extend(str(m) for m in exc.detail)
    return summary


def _conflict_context(record_type: str, conflict: review.Conflict | dict) -> list[dict]:
    """Three-way views (base / now published / proposed) of a Conflict's items."""
    items = conflict.items if isinstance(conflict, review.Conflict) else (conflict or {}).get("items", {})
    shown = []
    for index, item in (items or {}).items():
        if not isinstance(item, dict):
            continue
        lookups = Lookups()
        fields = item.get("fields") or {}
        from records.forms.display import conflict_states

        lookups.load(record_type, conflict_states(fields))
        shown.append(
            {
                "index": index,
                "record": item.get("record"),
                "base_revision": item.get("base_revision"),
                "current_revision": item.get("current_revision"),
                "withdrawn": item.get("withdrawn", False),
                "fields": state_conflicts(record_type, fields, lookups),
                "errors": item.get("data"),
            }
        )
    return shown


# ------------------------------------------------------------------ the record form


def _state_form_page(
    request: HttpRequest,
    *,
    spec: RecordTypeSpec,
    action: str,
    initial: dict | None,
    record: Record | None = None,
    base_revision: int | None = None,
    proposal: Proposal | None = None,
    item_index: int = 0,
) -> HttpResponse:
    """Show the form, or take what was typed and propose it (or revise a proposal with it)."""
    context: dict[str, Any] = {
        "spec": spec,
        "action": action,
        "record": record,
        "base_revision": base_revision,
        "proposal": proposal,
        "summary": proposal.summary if proposal else "",
    }
    if request.method != "POST":
        form = StateForm.from_state(spec.name, initial)
        return _render_form(request, form, context)

    form = StateForm.from_post(spec.name, request.POST)
    posted_base = request.POST.get("base_revision", "")
    if record is not None and posted_base.isdigit() and len(posted_base) < 10:
        base_revision = int(posted_base)
    rebase = request.POST.get("rebase", "")
    if record is not None and rebase.isdigit() and len(rebase) < 10:
        base_revision = int(rebase)
    context["base_revision"] = base_revision
    summary_errors: list[str] = []
    context["summary"] = summary = _summary(request, summary_errors, required="add_rows" not in request.POST)
    context["summary_errors"] = summary_errors
    if "add_rows" in request.POST:
        return _render_form(request, form, context)
    data = form.data()
    if summary_errors and not form.has_errors:
        # Report every problem at once: the state's own errors too, not only the missing summary.
        try:
            state_validate(spec.name, data, record_id=record.pk if record else None)
        except ContentInvalid as exc:
            form.add_errors(exc.errors)
    if form.has_errors or summary_errors:
        return _render_form(request, form, context, status=400)

    draft = "save_draft" in request.POST
    item = review.ItemInput(
        action=action,
        record_type=spec.name,
        record_id=record.pk if record else None,
        base_revision=base_revision,
        data=data,
    )
    try:
        if proposal is None:
            proposal = review.proposal_create(author=request.user, items=[item], summary=summary, draft=draft)
        else:
            items = _other_items(proposal, item_index, item)
            proposal = review.proposal_revise(
                proposal_id=proposal.pk, author=request.user, items=items, summary=summary
            )
            if proposal.status == ProposalStatus.DRAFT and not draft:
                proposal = review.proposal_submit(proposal_id=proposal.pk, author=request.user)
    except review.ProposalInvalid as exc:
        _attach_proposal_errors(form, exc.errors, item_index)
        return _render_form(request, form, context, status=400)
    except review.Conflict as exc:
        context["conflicts"] = _conflict_context(spec.name, exc)
        context["conflict_message"] = _(exc.message)  # kept in English by review; read in the language
        return _render_form(request, form, context, status=409)
    except review.WrongStatus as exc:
        form.errors.append(str(exc))
        return _render_form(request, form, context, status=409)
    except PermissionDenied as exc:
        return _forbidden(request, str(exc))
    if proposal.status == ProposalStatus.DRAFT:
        messages.success(request, _("Saved as a draft. Submit it for review when it is ready."))
    else:
        messages.success(request, _("Submitted for review. A reviewer will look at it; you will be notified."))
    return redirect("editing:proposal", pk=proposal.pk)


def _attach_proposal_errors(form: StateForm, errors: dict, item_index: int) -> None:
    """ProposalInvalid's errors are by item, then `data` (the state's field errors) or the item's keys."""
    item_errors = errors.get(item_index) or {}
    for index, other in errors.items():
        if index != item_index:
            form.errors.extend(_("Another change of this proposal: %(msg)s") % {"msg": m} for m in _flat(other))
    if not isinstance(item_errors, dict):
        form.errors.extend(_flat(item_errors))
        return
    for key, value in item_errors.items():
        if key == "data":
            form.add_errors(value)
        else:
            form.errors.extend(_flat(value))


def _flat(errors: Any) -> list[str]:
    from records.forms.state_form import messages_of

    return messages_of(errors)


def _other_items(proposal: Proposal, index: int, replacement: review.ItemInput) -> list[review.ItemInput]:
    items = []
    for position, item in enumerate(proposal.items.all()):
        if position == index:
            replacement.ref = item.ref
            items.append(replacement)
        else:
            items.append(
                review.ItemInput(
                    action=item.action,
                    record_type=item.record_type,
                    record_id=item.record_id,
                    base_revision=item.base_revision,
                    revert_to=item.revert_to,
                    ref=item.ref,
                    data=item.data,
                )
            )
    return items


def _render_form(request: HttpRequest, form: StateForm, context: dict, status: int = 200) -> HttpResponse:
    form.prepare_display()
    context["form"] = form
    context["error_summary"] = form.summary() + [
        {"label": _("Summary"), "message": m, "anchor": "id_summary"} for m in context.get("summary_errors", [])
    ]
    return render(request, "editing/record_form.html", context, status=status)


@proposer_required
def record_new(request: HttpRequest, spec: RecordTypeSpec) -> HttpResponse:
    return _state_form_page(request, spec=spec, action=ProposalAction.CREATE, initial=None)


@proposer_required
def record_edit(request: HttpRequest, spec: RecordTypeSpec, pk: int) -> HttpResponse:
    record = _record(spec, pk)
    if record.status == RecordStatus.WITHDRAWN:
        return render(request, "editing/withdrawn.html", {"spec": spec, "record": record}, status=410)
    snapshot = Revision.objects.get(record=record, number=record.revision).snapshot
    return _state_form_page(
        request, spec=spec, action=ProposalAction.UPDATE, initial=snapshot, record=record, base_revision=record.revision
    )


@proposer_required
def record_withdraw(request: HttpRequest, spec: RecordTypeSpec, pk: int) -> HttpResponse:
    record = _record(spec, pk)
    if record.status == RecordStatus.WITHDRAWN:
        return render(request, "editing/withdrawn.html", {"spec": spec, "record": record}, status=410)
    context = {"spec": spec, "record": record, "base_revision": record.revision, "summary": ""}
    if request.method == "POST":
        errors: list[str] = []
        context["summary"] = summary = _summary(request, errors)
        base = request.POST.get("base_revision", "")
        base_revision = int(base) if base.isdigit() and len(base) < 10 else record.revision
        if not errors:
            item = review.ItemInput(
                action=ProposalAction.WITHDRAW, record_type=spec.name, record_id=record.pk, base_revision=base_revision
            )
            done = _propose_one(
                request, item, summary, errors, _("Your proposal to withdraw this record was submitted for review.")
            )
            if done:
                return done
        context["errors"] = errors
        return render(request, "editing/withdraw.html", context, status=400)
    return render(request, "editing/withdraw.html", context)


def _propose_one(request: HttpRequest, item: review.ItemInput, summary: str, errors: list[str], success: str):
    """Propose one change: the proposal's page on success; None with `errors` filled, or 403, otherwise."""
    try:
        proposal = review.proposal_create(author=request.user, items=[item], summary=summary)
    except review.ProposalInvalid as exc:
        errors += _flat(exc.errors)
    except review.Conflict as exc:
        errors.append(_(exc.message))
    except PermissionDenied as exc:
        return _forbidden(request, str(exc))
    else:
        messages.success(request, success)
        return redirect("editing:proposal", pk=proposal.pk)
    return None


@proposer_required
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
    context = {
        "spec": spec,
        "record": record,
        "target": target,
        "current": current,
        "changes": state_changes(spec.name, current.snapshot, target.snapshot, lookups),
        "summary": "",
    }
    if request.method == "POST":
        errors: list[str] = []
        context["summary"] = summary = _summary(request, errors)
        if not errors:
            item = review.ItemInput(
                action=ProposalAction.REVERT,
                record_type=spec.name,
                record_id=record.pk,
                base_revision=record.revision,
                revert_to=number,
            )
            done = _propose_one(
                request, item, summary, errors, _("Your proposal to revert this record was submitted for review.")
            )
            if done:
                return done
        context["errors"] = errors
        return render(request, "editing/revert.html", context, status=400)
    return render(request, "editing/revert.html", context)


@login_required
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The author changes a draft or a submitted proposal (one change of it at a time)."""
    proposal = get_object_or_404(Proposal.objects.filter(author=request.user), pk=pk)
    if proposal.status not in (ProposalStatus.DRAFT, ProposalStatus.SUBMITTED):
        messages.error(request, _("This proposal was decided or withdrawn; it cannot change any more."))
        return redirect("editing:proposal", pk=proposal.pk)
    items = list(proposal.items.select_related("record"))
    raw_index = request.GET.get("item", request.POST.get("item", "0"))
    index = int(raw_index) if raw_index.isdigit() and int(raw_index) < len(items) else 0
    item = items[index]
    if item.action not in (ProposalAction.CREATE, ProposalAction.UPDATE):
        messages.error(request, _("A withdrawal or a revert has nothing to edit; withdraw it and propose again."))
        return redirect("editing:proposal", pk=proposal.pk)
    spec = registry.get(item.record_type)
    return _state_form_page(
        request,
        spec=spec,
        action=item.action,
        initial=item.data,
        record=item.record,
        base_revision=item.base_revision,
        proposal=proposal,
        item_index=index,
    )


def edit_submitted_draft(request: HttpRequest, proposal: Proposal, exc: review.ProposalInvalid) -> HttpResponse:
    """Submitting a draft that does not validate: show its form with the errors next to the fields."""
    index = next(iter(exc.errors), 0)
    items = list(proposal.items.select_related("record"))
    item = items[index] if index < len(items) else items[0]
    spec = registry.get(item.record_type)
    form = StateForm.from_state(spec.name, item.data)
    _attach_proposal_errors(form, exc.errors, index)
    context = {
        "spec": spec,
        "action": item.action,
        "record": item.record,
        "base_revision": item.base_revision,
        "proposal": proposal,
        "summary": proposal.summary,
        "item_index": index,
    }
    return _render_form(request, form, context, status=400)


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
    if query.isdigit() and len(query) < 19:
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
