"""What signed-in researchers and reviewers use: proposing, reviewing, notifications — and the public
history of every record (its revisions are published content).

Included before the public URLs, so /<plural>/new/ is never taken for a record id.
"""

from django.urls import path, register_converter

from records.views import editing, history, imports, reviewing


class IdConverter:
    """A database id: digits that fit a bigint (anything longer is a 404, never an overflow)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


class NumberConverter(IdConverter):
    regex = "[0-9]{1,9}"


register_converter(IdConverter, "rid")
register_converter(NumberConverter, "num")

app_name = "editing"

urlpatterns = [
    path("<rtype:spec>/new/", editing.record_new, name="record-new"),
    path("<rtype:spec>/<rid:pk>/edit/", editing.record_edit, name="record-edit"),
    path("<rtype:spec>/<rid:pk>/withdraw/", editing.record_withdraw, name="record-withdraw"),
    path("<rtype:spec>/<rid:pk>/history/", history.record_history, name="history"),
    path("<rtype:spec>/<rid:pk>/revisions/<num:number>/", history.revision_detail, name="revision"),
    path("<rtype:spec>/<rid:pk>/revisions/<num:number>/revert/", editing.record_revert, name="record-revert"),
    path("proposals/", reviewing.my_proposals, name="proposals"),
    path("proposals/<rid:pk>/", reviewing.proposal_detail, name="proposal"),
    path("proposals/<rid:pk>/edit/", editing.proposal_edit, name="proposal-edit"),
    path(
        "proposals/<rid:pk>/<str:step>/",
        reviewing.proposal_step,
        name="proposal-step",
    ),
    path("imports/new/", imports.import_new, name="import-new"),
    path("imports/<rid:pk>/", imports.import_detail, name="import"),
    path("imports/<rid:pk>/<str:step>/", imports.import_step, name="import-step"),
    path("review/", reviewing.queue, name="queue"),
    path("notifications/", reviewing.notifications, name="notifications"),
    path("notifications/read/", reviewing.notifications_read, name="notifications-read"),
    path("editing/lookup/", editing.record_lookup_json, name="lookup"),
    path("editing/edtf/", editing.edtf_preview_json, name="edtf"),
]
