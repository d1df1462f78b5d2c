"""API tokens for tests: an account with a verified e-mail address (needed to take a token), and a
token made directly, without the endpoint."""

from allauth.account.models import EmailAddress

from portal import tokens


def verify(user):
    EmailAddress.objects.update_or_create(
        user=user, email=user.email or f"{user.username}@example.org", defaults={"verified": True, "primary": True}
    )
    return user


def token_for(user, name: str = "test") -> str:
    return tokens.issue(user, name)[1]
