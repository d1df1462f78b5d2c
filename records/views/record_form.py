"""The record form page: one form for every record type (records/forms), shown, taken and proposed,
or shown again with what was refused — next to the fields, or as a three-way view of a conflict.

Used to propose a new record or an edit (views/editing.py), to change one change of an open proposal,
and to show a draft whose submission was refused (views/reviewing.py).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from rest_framework import serializers

from records.content import schemas
from records.content.registry import RecordTypeSpec, registry
from records.forms.content_form import ContentForm
from records.forms.display import Lookups, conflict_states, state_conflicts
from records.forms.errors import messages_of
from records.models import Proposal, ProposalStatus, Record
from records.views.errors import REFUSALS, Refusal, refusal_of
from records.workflow import review
from records.workflow.publishing import ContentInvalid, state_validate


def number_posted(text: str) -> int | None:
    """A revision number as a form sends it; None when it is not one."""
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def summary_from_post(request: HttpRequest, errors: list[str], *, required: bool = True) -> str:
    """The proposal's summary as typed; what is wrong with it is added to `errors`."""
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


def conflict_context(record_type: str, conflict: review.Conflict | dict) -> list[dict]:
    """Three-way views (base / now published / proposed) of a Conflict's items (or a stored conflict's)."""
    items = conflict.items if isinstance(conflict, review.Conflict) else (conflict or {}).get("items", {})
    shown = []
    for index, item in (items or {}).items():
        if not isinstance(item, dict):
            continue
        lookups = Lookups()
        fields = item.get("fields") or {}
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


def form_page(
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
    """Show the form, or take what was typed and save it: a new proposal, or the change at `item_index`
    of `proposal` (submitted unless saved as a draft)."""
    context: dict[str, Any] = {
        "spec": spec,
        "action": action,
        "record": record,
        "base_revision": base_revision,
        "proposal": proposal,
        "summary": proposal.summary if proposal else "",
    }
    if request.method != "POST":
        return render_form(request, ContentForm.from_state(spec.name, initial), context)

    form = ContentForm.from_post(spec.name, request.POST)
    if record is not None:
        for name in ("base_revision", "rebase"):  # a rebase on the current revision, after a conflict, wins
            number = number_posted(request.POST.get(name, ""))
            base_revision = base_revision if number is None else number
    context["base_revision"] = base_revision
    adding_rows = "add_rows" in request.POST
    context["summary_errors"] = summary_errors = []
    context["summary"] = summary = summary_from_post(request, summary_errors, required=not adding_rows)
    if adding_rows:
        return render_form(request, form, context)
    data = _state_typed(form, spec, record, report_all=bool(summary_errors))
    if form.has_errors or summary_errors:
        return render_form(request, form, context, status=400)

    item = review.ItemInput(
        action=action,
        record_type=spec.name,
        record_id=record.pk if record else None,
        base_revision=base_revision,
        data=data,
    )
    try:
        proposal = review.proposal_save(
            author=request.user,
            items=[item],
            summary=summary,
            proposal_id=proposal.pk if proposal else None,
            position=item_index if proposal else None,
            submit="save_draft" not in request.POST,
        )
    except REFUSALS as exc:
        return _form_refused(request, form, context, refusal_of(exc), item_index)
    if proposal.status == ProposalStatus.DRAFT:
        messages.success(request, _("Saved as a draft. Submit it for review when it is ready."))
    else:
        messages.success(request, _("Submitted for review. A reviewer will look at it; you will be notified."))
    return redirect("editing:proposal", pk=proposal.pk)


def _state_typed(form: ContentForm, spec: RecordTypeSpec, record: Record | None, *, report_all: bool) -> dict:
    """The state typed into the form; with `report_all` (something else is wrong already) it is also
    validated now, so that every problem is reported at once, not only the other one."""
    data = form.data()
    if report_all and not form.has_errors:
        try:
            state_validate(spec.name, data, record_id=record.pk if record else None)
        except ContentInvalid as exc:
            form.add_errors(exc.errors)
    return data


def _form_refused(
    request: HttpRequest, form: ContentForm, context: dict, refused: Refusal, item_index: int
) -> HttpResponse:
    if refused.code == "invalid":
        attach_proposal_errors(form, refused.errors, item_index)
    elif refused.code == "conflict":
        context["conflicts"] = conflict_context(context["spec"].name, refused.conflict)
        context["conflict_message"] = refused.messages[0]
    else:
        form.errors += refused.messages
    return render_form(request, form, context, status=refused.status)


def attach_proposal_errors(form: ContentForm, errors: dict, item_index: int) -> None:
    """ProposalInvalid's errors are by item, then `data` (the state's field errors) or the item's keys."""
    item_errors = errors.get(item_index) or {}
    for index, other in errors.items():
        if index != item_index:
            form.errors.extend(_("Another change of this proposal: %(msg)s") % {"msg": m} for m in messages_of(other))
    if not isinstance(item_errors, dict):
        form.errors.extend(messages_of(item_errors))
        return
    for key, value in item_errors.items():
        if key == "data":
            form.add_errors(value)
        else:
            form.errors.extend(messages_of(value))


def render_form(request: HttpRequest, form: ContentForm, context: dict, status: int = 200) -> HttpResponse:
    form.prepare_display()
    context["form"] = form
    context["error_summary"] = form.summary() + [
        {"label": _("Summary"), "message": m, "anchor": "id_summary"} for m in context.get("summary_errors", [])
    ]
    return render(request, "editing/record_form.html", context, status=status)


def draft_form_refused(request: HttpRequest, proposal: Proposal, errors: dict) -> HttpResponse:
    """Submitting a draft that does not validate: its form, with `errors` (ProposalInvalid's) at the fields."""
    index = next(iter(errors), 0)
    items = list(proposal.items.select_related("record"))
    item = items[index] if index < len(items) else items[0]
    spec = registry.get(item.record_type)
    form = ContentForm.from_state(spec.name, item.data)
    attach_proposal_errors(form, errors, index)
    context = {
        "spec": spec,
        "action": item.action,
        "record": item.record,
        "base_revision": item.base_revision,
        "proposal": proposal,
        "summary": proposal.summary,
        "item_index": index,
    }
    return render_form(request, form, context, status=400)
