"""The admin for content: vocabularies are edited here; records, revisions and proposals only shown.

Content changes go through proposals and a second person's review (records/workflow/); the admin
offers no way around that — no add, change or delete on records, revisions or proposals, and no
actions — for superusers too.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.models import AuditEntry
from records.content.schemas import plain_text
from records.models import VOCABULARIES, Proposal, ProposalItem, Record, Revision

LANGUAGE_FIELDS = {"en": _("English label"), "ru": _("Russian label"), "kk": _("Kazakh label")}


class VocabularyForm(forms.ModelForm):
    """A term with one input per language instead of a JSON box."""

    label_en = forms.CharField(label=LANGUAGE_FIELDS["en"], max_length=200)
    label_ru = forms.CharField(label=LANGUAGE_FIELDS["ru"], max_length=200, required=False)
    label_kk = forms.CharField(label=LANGUAGE_FIELDS["kk"], max_length=200, required=False)

    class Meta:
        fields = ["code", "label_en", "label_ru", "label_kk", "description", "position", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = self.instance.labels or {}
        for lang in LANGUAGE_FIELDS:
            self.fields[f"label_{lang}"].initial = labels.get(lang, "")
        if self.instance.pk:
            # Proposals and revisions store the code: it never changes once used.
            self.fields["code"].disabled = True

    def clean(self):
        cleaned = super().clean()
        for lang in LANGUAGE_FIELDS:
            value = (cleaned.get(f"label_{lang}") or "").strip()
            try:
                plain_text(value)
            except Exception as exc:  # DRF's ValidationError: show it on the field
                self.add_error(f"label_{lang}", str(getattr(exc, "detail", [exc])[0]))
        return cleaned

    def save(self, commit=True):
        term = super().save(commit=False)
        labels = dict(term.labels or {})
        for lang in LANGUAGE_FIELDS:
            value = self.cleaned_data.get(f"label_{lang}", "").strip()
            if value:
                labels[lang] = value
            else:
                labels.pop(lang, None)
        term.labels = labels
        if commit:
            term.save()
        return term


class VocabularyAdmin(admin.ModelAdmin):
    form = VocabularyForm
    list_display = ["code", "label_en", "label_ru", "label_kk", "position", "active"]
    list_editable = ["position", "active"]
    list_filter = ["active"]
    search_fields = ["code", "labels"]
    actions = None

    @admin.display(description=LANGUAGE_FIELDS["en"])
    def label_en(self, obj) -> str:
        return obj.labels.get("en", "")

    @admin.display(description=LANGUAGE_FIELDS["ru"])
    def label_ru(self, obj) -> str:
        return obj.labels.get("ru", "")

    @admin.display(description=LANGUAGE_FIELDS["kk"])
    def label_kk(self, obj) -> str:
        return obj.labels.get("kk", "")

    def has_delete_permission(self, request, obj=None) -> bool:
        # Old revisions name terms by code; a term that is no longer wanted is made inactive instead.
        return False

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        AuditEntry.objects.create(
            actor=request.user,
            action=AuditEntry.Action.VOCABULARY_CHANGED,
            target=f"{obj._meta.model_name}:{obj.code}",
            detail={"created": not change, "labels": obj.labels, "active": obj.active},
            ip_address=request.META.get("REMOTE_ADDR"),
        )


for vocabulary in VOCABULARIES:
    admin.site.register(vocabulary, VocabularyAdmin)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown to those allowed to view; nobody adds, changes or deletes here, not even a superuser."""

    actions = None
    show_full_result_count = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Record)
class RecordAdmin(ReadOnlyAdmin):
    list_display = ["id", "record_type", "label", "status", "revision", "updated_at"]
    list_filter = ["record_type", "status"]
    search_fields = ["label"]
    fields = ["id", "record_type", "label", "labels", "aliases", "status", "revision", "date", "notes", "updated_at"]
    readonly_fields = fields


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdmin):
    list_display = ["record", "number", "action", "author", "reviewer", "created_at"]
    list_filter = ["action"]
    list_select_related = ["record", "author", "reviewer"]
    raw_id_fields = ["record", "proposal"]
    fields = ["record", "number", "action", "summary", "proposal", "author", "reviewer", "created_at", "snapshot"]
    readonly_fields = fields


class ProposalItemInline(admin.TabularInline):
    model = ProposalItem
    fields = ["position", "action", "record_type", "record", "ref", "base_revision", "revert_to", "revision"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ["id", "status", "author", "reviewer", "summary", "created_at", "decided_at"]
    list_filter = ["status"]
    list_select_related = ["author", "reviewer"]
    fields = ["status", "author", "summary", "created_at", "submitted_at", "reviewer", "decided_at", "decision_comment"]
    readonly_fields = fields
    inlines = [ProposalItemInline]
