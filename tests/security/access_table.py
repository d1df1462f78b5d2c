"""Who may do what: the expected status of each route for each role, in the order of ROLES.
A route's key is its URL name ("namespace:name"); a record type's API routes share one entry
("api:{type}-detail"); a key with [variant] is the route on one object (a proposal decided, a step).
"""

ROLES = ("anonymous", "researcher", "reviewer", "admin", "deactivated")
METHODS = {"page": ("GET", "POST"), "api": ("GET", "POST"), "admin": ("GET",)}
VARIANTS = {
    "editing:proposal-edit": ["submitted", "decided"],
    "editing:proposal-step": ["submit", "withdraw", "claim", "release", "approve", "reject", "comment", "nonsense"],
}
# Every page of the admin site: sign-in for anyone but an administrator, whose answers depend on the
# page ("*": anything but a server error; what an administrator may change is tested in tests/portal).
ADMIN_SITE = {"GET": "302 302 302 - 302"}
ADMIN_PAGES = {"admin/login/": {"GET": "302 403 403 302 302"}}  # signed in without the role: refused

# (anonymous, researcher, reviewer, admin, deactivated). The deactivated account's session no longer
# signs it in: it is answered as anonymous everywhere. A researcher's proposal is not an administrator's
# business (404, as for anything one may not see); the review queue and the decisions are reviewers'.
EXPECTED: dict[str, dict[str, str]] = {
    "account_profile": {"GET": "302 200 200 200 302", "POST": "302 302 302 302 302"},
    "account_login": {"GET": "200 302 302 302 200", "POST": "400 200 200 200 400"},
    "account_logout": {"GET": "302 200 200 200 302", "POST": "200 200 200 200 200"},
    "account_inactive": {"GET": "200 200 200 200 200", "POST": "405 405 405 405 405"},
    "account_signup": {"GET": "200 302 302 302 200", "POST": "400 200 200 200 400"},
    "account_reauthenticate": {"GET": "302 200 200 200 302", "POST": "302 200 200 200 302"},
    "account_request_reauthentication_code": {"GET": "302 302 302 302 302", "POST": "302 302 302 302 302"},
    "account_confirm_reauthentication_code": {"GET": "302 302 302 302 302", "POST": "302 302 302 302 302"},
    "account_email": {"GET": "302 200 200 200 302", "POST": "302 200 200 200 302"},
    "account_email_verification_sent": {"GET": "200 200 200 200 200", "POST": "405 405 405 405 405"},
    "account_change_password": {"GET": "302 200 200 200 302", "POST": "302 400 400 400 302"},
    "account_set_password": {"GET": "302 302 302 302 302", "POST": "302 302 302 302 302"},
    "account_reset_password": {"GET": "200 200 200 200 200", "POST": "400 400 400 400 400"},
    "account_confirm_login_code": {"GET": "302 302 302 302 302", "POST": "302 302 302 302 302"},
    "account_confirm_email": {"GET": "200 200 200 200 200", "POST": "404 404 404 404 404"},
    "account_reset_password_from_key_done": {"GET": "200 200 200 200 200", "POST": "405 405 405 405 405"},
    "account_reset_password_from_key": {"GET": "200 200 200 200 200", "POST": "400 400 400 400 400"},
    "account_reset_password_done": {"GET": "200 200 200 200 200", "POST": "405 405 405 405 405"},
    "mfa_index": {"GET": "302 200 200 200 302", "POST": "302 405 405 405 302"},
    "mfa_authenticate": {"GET": "302 302 302 302 302", "POST": "302 302 302 302 302"},
    "mfa_reauthenticate": {"GET": "302 302 302 302 302", "POST": "302 302 302 302 302"},
    "mfa_activate_totp": {"GET": "302 302 302 302 302", "POST": "302 302 302 302 302"},
    "mfa_deactivate_totp": {"GET": "302 404 404 404 302", "POST": "302 404 404 404 302"},
    "mfa_view_recovery_codes": {"GET": "302 404 404 404 302", "POST": "302 405 405 405 302"},
    "mfa_generate_recovery_codes": {"GET": "302 302 302 302 302", "POST": "302 302 302 302 302"},
    "mfa_download_recovery_codes": {"GET": "302 404 404 404 302", "POST": "302 404 404 404 302"},
    "set_language": {"GET": "302 302 302 302 302", "POST": "302 302 302 302 302"},
    "api:token": {"GET": "405 405 405 405 405", "POST": "400 400 400 400 400"},
    "api:search": {"GET": "400 400 400 400 400", "POST": "405 405 405 405 405"},
    "api:vocabulary-list": {"GET": "200 200 200 200 200", "POST": "405 405 405 405 405"},
    "api:vocabulary-detail": {"GET": "200 200 200 200 200", "POST": "405 405 405 405 405"},
    "api:{type}-list": {"GET": "200 200 200 200 200", "POST": "405 405 405 405 405"},
    "api:{type}-detail": {"GET": "200 200 200 200 200", "POST": "405 405 405 405 405"},
    "api:{type}-history": {"GET": "200 200 200 200 200", "POST": "405 405 405 405 405"},
    "api:{type}-revision": {"GET": "200 200 200 200 200", "POST": "405 405 405 405 405"},
    "api:change-list": {"GET": "401 200 200 200 401", "POST": "401 400 400 400 401"},
    "api:change-detail": {"GET": "401 200 200 404 401", "POST": "401 405 405 405 401"},
    "api:change-approve": {"GET": "401 405 405 405 401", "POST": "401 403 200 404 401"},
    "api:change-claim": {"GET": "401 405 405 405 401", "POST": "401 403 200 404 401"},
    "api:change-comments": {"GET": "401 405 405 405 401", "POST": "401 400 400 400 401"},
    "api:change-reject": {"GET": "401 405 405 405 401", "POST": "401 400 400 400 401"},
    "api:change-submit": {"GET": "401 405 405 405 401", "POST": "401 409 403 404 401"},
    "api:change-withdraw": {"GET": "401 405 405 405 401", "POST": "401 200 403 404 401"},
    "api:api-root": {"GET": "200 200 200 200 200", "POST": "405 405 405 405 405"},
    "schema": {"GET": "200 200 200 200 200", "POST": "405 405 405 405 405"},
    "api-docs": {"GET": "200 200 200 200 200", "POST": "405 405 405 405 405"},
    "editing:record-new": {"GET": "302 200 200 200 302", "POST": "302 400 400 400 302"},
    "editing:record-edit": {"GET": "302 200 200 200 302", "POST": "302 400 400 400 302"},
    "editing:record-withdraw": {"GET": "302 200 200 200 302", "POST": "302 400 400 400 302"},
    "editing:history": {"GET": "200 200 200 200 200", "POST": "200 200 200 200 200"},
    "editing:revision": {"GET": "200 200 200 200 200", "POST": "200 200 200 200 200"},
    "editing:record-revert": {"GET": "302 200 200 200 302", "POST": "302 400 400 400 302"},
    "editing:proposals": {"GET": "302 200 200 200 302", "POST": "302 200 200 200 302"},
    "editing:proposal": {"GET": "302 200 200 404 302", "POST": "302 200 200 404 302"},
    "editing:proposal-edit[submitted]": {"GET": "302 200 404 404 302", "POST": "302 400 404 404 302"},
    "editing:proposal-edit[decided]": {"GET": "302 302 404 404 302", "POST": "302 302 404 404 302"},
    "editing:proposal-step[submit]": {"GET": "302 405 405 405 302", "POST": "302 302 403 404 302"},
    "editing:proposal-step[withdraw]": {"GET": "302 405 405 405 302", "POST": "302 302 403 404 302"},
    "editing:proposal-step[claim]": {"GET": "302 405 405 405 302", "POST": "302 403 302 404 302"},
    "editing:proposal-step[release]": {"GET": "302 405 405 405 302", "POST": "302 403 302 404 302"},
    "editing:proposal-step[approve]": {"GET": "302 405 405 405 302", "POST": "302 403 302 404 302"},
    "editing:proposal-step[reject]": {"GET": "302 405 405 405 302", "POST": "302 400 400 404 302"},
    "editing:proposal-step[comment]": {"GET": "302 405 405 405 302", "POST": "302 400 400 404 302"},
    "editing:proposal-step[nonsense]": {"GET": "302 405 405 405 302", "POST": "302 404 404 404 302"},
    "editing:queue": {"GET": "302 403 200 403 302", "POST": "302 403 200 403 302"},
    "editing:notifications": {"GET": "302 200 200 200 302", "POST": "302 200 200 200 302"},
    "editing:notifications-read": {"GET": "302 405 405 405 302", "POST": "302 302 302 302 302"},
    "editing:lookup": {"GET": "401 200 200 200 401", "POST": "405 405 405 405 405"},
    "editing:edtf": {"GET": "200 200 200 200 200", "POST": "405 405 405 405 405"},
    "home": {"GET": "200 200 200 200 200", "POST": "200 200 200 200 200"},
    "search": {"GET": "200 200 200 200 200", "POST": "200 200 200 200 200"},
    "sitemap": {"GET": "200 200 200 200 200", "POST": "200 200 200 200 200"},
    "sitemap-chunk": {"GET": "200 200 200 200 200", "POST": "200 200 200 200 200"},
    "robots": {"GET": "200 200 200 200 200", "POST": "200 200 200 200 200"},
    "record-list": {"GET": "200 200 200 200 200", "POST": "200 200 200 200 200"},
    "record-detail": {"GET": "200 200 200 200 200", "POST": "200 200 200 200 200"},
}
