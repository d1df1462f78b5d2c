"""The import pages: upload a file (/imports/new/), follow its check, look at its errors, duplicates
and preview, then propose it as one change set or cancel it (/imports/<id>/).

Each step calls one function of records/imports/running.py, as the API and the command do. A file
checked by the worker is followed by a page that reloads itself until the check is done (no script).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from records.content.registry import registry
from records.imports import running
from records.imports.files import FileRefused, max_bytes
from records.models import Import, ImportStatus
from records.views.errors import refusals_shown
from records.workflow import review

SHOWN = 200  # errors and duplicates listed on the page (the API gives them all)


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File"))
    record_type = forms.ChoiceField(
        label=gettext_lazy("Record type of a table (CSV, XLSX)"),
        required=False,
        help_text=gettext_lazy("BibTeX and CSL-JSON files hold sources, GeoJSON files places."),
    )
    summary = forms.CharField(label=gettext_lazy("Summary of the proposal"), required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record_type"].choices = [("", "—")] + [(s.name, s.verbose_name) for s in registry]


@login_required
@refusals_shown
def import_new(request: HttpRequest) -> HttpResponse:
    if not review.can_propose(request.user):
        raise PermissionDenied(
            _("Your account cannot propose changes yet; an administrator grants the researcher role.")
        )
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > max_bytes():
                raise FileRefused(_("The file is larger than %(max)s bytes.") % {"max": max_bytes()})
            job = running.import_create(
                author=request.user,
                filename=upload.name or "",
                content=upload.read(),
                record_type=form.cleaned_data["record_type"],
                summary=form.cleaned_data["summary"],
            )
            if job.status == ImportStatus.FAILED:  # checked at once, and unreadable as a whole
                raise FileRefused(" ".join(error["message"] for error in job.errors))
            return redirect("editing:import", job.pk)
        except FileRefused as exc:
            form.add_error("file", str(exc))
        except running.QuotaExceeded as exc:
            form.add_error("file", str(exc))
            status = 429
    if request.method == "POST" and status == 200:
        status = 400
    templates = [(spec, reverse("api:import-template", kwargs={"record_type": spec.name})) for spec in registry]
    recent = Import.objects.visible_to(request.user).defer("content")[:10]
    return render(
        request, "editing/import_new.html", {"form": form, "templates": templates, "recent": recent}, status=status
    )


def _mine(request: HttpRequest, pk: int) -> Import:
    job = Import.objects.visible_to(request.user).defer("content").filter(pk=pk).first()
    if job is None:
        raise Http404(_("No such import."))
    return job


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _mine(request, pk)
    changes = job.counts.get("create", 0) + job.counts.get("update", 0)
    proposable = job.status == ImportStatus.CHECKED and not job.errors and changes > 0
    context = {
        "job": job,
        "percent": 100 if job.finished else int(100 * job.rows_checked / job.rows) if job.rows else 0,
        "errors": job.errors[:SHOWN],
        "duplicates": job.duplicates[:SHOWN],
        "proposable": proposable,
        "cancellable": job.status in running.CANCELLABLE,
        "spec": None,
    }
    return render(request, "editing/import.html", context)


@login_required
@require_POST
@refusals_shown
def import_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    job = _mine(request, pk)
    try:
        if step == "propose":
            links = {
                int(key.removeprefix("link-")): int(value)
                for key, value in request.POST.items()
                if key.startswith("link-") and key[5:].isdigit() and value.isdigit()
            }
            job = running.import_propose(import_id=job.pk, author=request.user, links=links)
            if job.proposal_id:
                messages.success(request, _("Proposed as one change set; a reviewer will look at it."))
                return redirect("editing:proposal", job.proposal_id)
        elif step == "cancel":
            running.import_cancel(import_id=job.pk, author=request.user)
            messages.info(request, _("The import was cancelled; nothing of it was proposed."))
        else:
            raise Http404(_("No such import."))
    except running.ImportRefused as exc:
        messages.error(request, str(exc))
    return redirect("editing:import", job.pk)
