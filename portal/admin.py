"""The admin: accounts and roles, and the audit log (read-only).

Roles are granted and revoked only through `portal.roles.user_set_roles`, so every change is audited;
the raw group and permission fields are not editable here. The admin's own login page is replaced by
the portal's (allauth), so an administrator with two-factor sign-in cannot get around it.
"""

from __future__ import annotations

from allauth.account.decorators import secure_admin_login
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

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
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    roles = RolesField(choices=Role.choices, required=False, label=_("Roles"))

    class Meta:
        model = User
        fields = ["username", "display_name", "email"]

    def clean_password1(self):
        password = self.cleaned_data["password1"]
        validate_password(password, User(username=self.cleaned_data.get("username", "")))
        return password

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_password(self.cleaned_data["password1"])
        if commit:
            user.save()
        return user


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    list_display = ["username", "display_name", "email", "roles_display", "is_active", "last_login"]
    list_filter = ["groups", "is_active"]
    search_fields = ["username", "display_name", "email"]
    ordering = ["username"]
    readonly_fields = ["last_login", "date_joined", "is_staff", "is_superuser"]
    actions = None
    fieldsets = [
        (None, {"fields": ["username", "display_name", "email", "first_name", "last_name"]}),
        (_("Access"), {"fields": ["is_active", "roles", "is_staff", "is_superuser"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "display_name", "email", "password1", "roles"]})
    ]
    filter_horizontal = []

    @admin.display(description=_("Roles"))
    def roles_display(self, obj: User) -> str:
        return ", ".join(sorted(group.name for group in obj.groups.all())) or "—"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def has_delete_permission(self, request, obj=None) -> bool:
        # Accounts author revisions and proposals, which are kept forever: deactivate instead.
        return False

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        if "roles" in form.cleaned_data:
            user_set_roles(user=form.instance, roles=list(form.cleaned_data["roles"]), actor=request.user)


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
