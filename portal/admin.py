"""The admin: accounts and roles, and the audit log (read-only).

Roles are granted and revoked only through `portal.roles.user_set_roles`, so every change is audited;
the raw group and permission fields are not editable here. The admin's own login page is replaced by
the portal's (allauth), so an administrator with two-factor sign-in cannot get around it.

Administrators never set passwords: a new account gets none and is sent allauth's password reset
e-mail, and the "send password reset e-mail" action sends it again; the admin's password form answers
403 (your own password is changed on the account pages). System accounts are shown read-only. Every
creation, change (which fields), activation, deactivation and reset e-mail is written to the audit log.
"""

from __future__ import annotations

from allauth.account.decorators import secure_admin_login
from allauth.account.forms import ResetPasswordForm
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.audit import audit_record
from portal.models import AuditEntry, Role, User
from portal.roles import user_set_roles

admin.site.site_header = _("Bailanys administration")
admin.site.site_title = _("Bailanys administration")
admin.site.index_title = _("Accounts, roles and vocabularies")
admin.site.login = secure_admin_login(admin.site.login)
admin.site.unregister(Group)


class RolesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class UserChangeForm(forms.ModelForm):
    roles = RolesField(
        choices=Role.choices,
        required=False,
        label=_("Roles"),
        help_text=_(
            "Researchers propose changes; reviewers also approve other people's; administrators manage "
            "accounts and vocabularies. A new account has no role until you grant one."
        ),
    )

    class Meta:
        model = User
        fields = ["username", "display_name", "email", "first_name", "last_name", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["roles"].initial = list(
                self.instance.groups.filter(name__in=Role.values).values_list("name", flat=True)
            )


class UserCreationForm(forms.ModelForm):
    """A new account has no password: its owner sets one through the reset e-mail sent on creation."""

    roles = RolesField(choices=Role.choices, required=False, label=_("Roles"))

    class Meta:
        model = User
        fields = ["username", "display_name", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["email"].help_text = _("The new account's owner is sent a link there to choose a password.")

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_unusable_password()
        if commit:
            user.save()
        return user


def send_password_reset(request, user: User) -> bool:
    """allauth's password reset e-mail to `user`, audited; False if the account cannot have one."""
    if user.is_system or not user.is_active or not user.email:
        return False
    form = ResetPasswordForm(data={"email": user.email})
    if not form.is_valid() or user.pk not in {found.pk for found in form.users}:
        return False
    form.users = [user]
    form.save(request)
    audit_record(request.user, AuditEntry.Action.PASSWORD_RESET_SENT, request, target=f"user:{user.pk}")
    return True


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    list_display = ["username", "display_name", "email", "roles_display", "is_active", "last_login"]
    list_filter = ["groups", "is_active"]
    search_fields = ["username", "display_name", "email"]
    ordering = ["username"]
    readonly_fields = ["last_login", "date_joined", "is_staff", "is_superuser", "is_system"]
    actions = ["send_password_reset_action"]
    fieldsets = [
        (None, {"fields": ["username", "display_name", "email", "first_name", "last_name"]}),
        (_("Access"), {"fields": ["is_active", "roles", "is_staff", "is_superuser", "is_system"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["username", "display_name", "email", "roles"]})]
    filter_horizontal = []

    @admin.display(description=_("Roles"))
    def roles_display(self, obj: User) -> str:
        return ", ".join(sorted(group.name for group in obj.groups.all())) or "—"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def has_delete_permission(self, request, obj=None) -> bool:
        # Accounts author revisions and proposals, which are kept forever: deactivate instead.
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # System accounts are the portal's own: shown, never edited (nor reactivated) here.
        if obj is not None and obj.is_system:
            return False
        return super().has_change_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):
        """Nobody sets another person's password here; your own is changed on the account pages."""
        if str(request.user.pk) == str(id):
            return redirect("account_change_password")
        audit_record(request.user, AuditEntry.Action.PASSWORD_CHANGE_REFUSED, request, target=f"user:{id}")
        raise PermissionDenied(_("Administrators do not set passwords; send a password reset e-mail instead."))

    @admin.action(description=_("Send a password reset e-mail"), permissions=["change"])
    def send_password_reset_action(self, request, queryset) -> None:
        sent = [user for user in queryset if send_password_reset(request, user)]
        skipped = queryset.count() - len(sent)
        if sent:
            self.message_user(
                request,
                ngettext(
                    "Password reset e-mail sent to %(n)d account.",
                    "Password reset e-mail sent to %(n)d accounts.",
                    len(sent),
                )
                % {"n": len(sent)},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(n)d account was skipped: system, inactive or without a usable e-mail address.",
                    "%(n)d accounts were skipped: system, inactive or without a usable e-mail address.",
                    skipped,
                )
                % {"n": skipped},
                messages.WARNING,
            )

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            audit_record(
                request.user,
                AuditEntry.Action.ACCOUNT_CREATED,
                request,
                target=f"user:{obj.pk}",
                username=obj.username,
                email=obj.email,
            )
            return
        fields = sorted(set(form.changed_data) - {"roles", "is_active"})
        if fields:
            audit_record(
                request.user,
                AuditEntry.Action.ACCOUNT_CHANGED,
                request,
                target=f"user:{obj.pk}",
                username=obj.username,
                fields=fields,
            )
        if "is_active" in form.changed_data:
            action = AuditEntry.Action.ACCOUNT_ACTIVATED if obj.is_active else AuditEntry.Action.ACCOUNT_DEACTIVATED
            audit_record(request.user, action, request, target=f"user:{obj.pk}", username=obj.username)

    def delete_model(self, request, obj) -> None:
        audit_record(
            request.user, AuditEntry.Action.ACCOUNT_DELETED, request, target=f"user:{obj.pk}", username=obj.username
        )
        super().delete_model(request, obj)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        if "roles" in form.cleaned_data:
            user_set_roles(user=form.instance, roles=list(form.cleaned_data["roles"]), actor=request.user)
        if not change and send_password_reset(request, form.instance):
            self.message_user(request, _("The new account's owner was sent an e-mail to choose a password."))


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log: read by administrators, written only by the code that does the actions."""

    list_display = ["created_at", "action", "actor", "target", "ip_address"]
    list_filter = ["action"]
    search_fields = ["target", "actor__username"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]
    actions = None
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
