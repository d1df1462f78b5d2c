"""Public history: every record's revisions, the difference between any two, a permanent page for each.

Revisions are published content, so anyone may read them — withdrawn records keep their history.
People appear by their public name, never by e-mail address.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from records.content.registry import RecordTypeSpec
from records.forms.display import Lookups, state_changes, state_fields
from records.models import Record, RecordStatus, Revision
from records.workflow import review

PAGE_SIZE = 50


def _record(spec: RecordTypeSpec, pk: int) -> Record:
    return get_object_or_404(Record.objects.filter(record_type=spec.name), pk=pk)


def _number(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


def record_history(request: HttpRequest, spec: RecordTypeSpec, pk: int) -> HttpResponse:
    """The revisions of a record, newest first (50 a page), and the diff between two of them."""
    record = _record(spec, pk)
    revisions = Revision.objects.filter(record=record).select_related("author", "reviewer").order_by("-number")
    before = _number(request.GET.get("before", ""))
    if before is not None:
        revisions = revisions.filter(number__lt=before)
    page = list(
        revisions.only(
            "number",
            "action",
            "summary",
            "created_at",
            "proposal_id",
            "author__display_name",
            "author__username",
            "reviewer__display_name",
            "reviewer__username",
        )[: PAGE_SIZE + 1]
    )
    more = len(page) > PAGE_SIZE
    page = page[:PAGE_SIZE]

    context = {
        "spec": spec,
        "record": record,
        "revisions": page,
        "next_before": page[-1].number if more else None,
        "withdrawn": record.status == RecordStatus.WITHDRAWN,
        "can_propose": review.can_propose(request.user),
    }
    first, second = _number(request.GET.get("from", "")), _number(request.GET.get("to", ""))
    if first is not None and second is not None:
        pair = {
            r.number: r
            for r in Revision.objects.filter(record=record, number__in=[first, second]).select_related(
                "author", "reviewer"
            )
        }
        if first not in pair or second not in pair:
            context["diff_error"] = _("Revision %(n)s does not exist.") % {"n": first if first not in pair else second}
        else:
            old, new = pair[first], pair[second]
            lookups = Lookups()
            lookups.load(spec.name, [old.snapshot, new.snapshot])
            context.update(
                diff_from=old,
                diff_to=new,
                changes=state_changes(spec.name, old.snapshot, new.snapshot, lookups),
            )
    context["compare_from"] = first if first is not None else (page[1].number if len(page) > 1 else None)
    context["compare_to"] = second if second is not None else (page[0].number if page else None)
    return render(request, "editing/history.html", context, status=200 if "diff_error" not in context else 404)


def revision_detail(request: HttpRequest, spec: RecordTypeSpec, pk: int, number: int) -> HttpResponse:
    """One revision, permanently: the record as it was published then, shown readably."""
    record = _record(spec, pk)
    revision = Revision.objects.filter(record=record, number=number).select_related("author", "reviewer").first()
    if revision is None:
        raise Http404(_("No such revision."))
    lookups = Lookups()
    lookups.load(spec.name, [revision.snapshot])
    permalink = request.build_absolute_uri()
    return render(
        request,
        "editing/revision.html",
        {
            "spec": spec,
            "record": record,
            "revision": revision,
            "fields": state_fields(spec.name, revision.snapshot, lookups),
            "is_current": revision.number == record.revision,
            "previous": revision.number - 1 if revision.number > 1 else None,
            "next": revision.number + 1 if revision.number < record.revision else None,
            "withdrawn_here": revision.action == Revision.Action.WITHDRAW,
            "permalink": permalink.split("?")[0],
            "can_propose": review.can_propose(request.user),
        },
    )
