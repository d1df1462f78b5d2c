"""OpenAPI extensions (drf-spectacular) for what introspection cannot see.

- A reference to a record is an integer id in responses, and an id or the "$ref" of a new record of
  the same change set in requests; a vocabulary term is its code; a revision's `data` has the shape
  of its type's state.
- API tokens (portal.tokens.TokenAuthentication) are the `tokenAuth` scheme.
- `ProposalInputSerializer` is described as what it accepts: one change — create/update per record
  type with that type's state as `data` (partial for an update), withdraw, revert — or a change set
  of such changes under `items`.

Defining an extension registers it; records/api/views/base.py imports this module for that.
"""

from __future__ import annotations

from drf_spectacular.extensions import (
    OpenApiAuthenticationExtension,
    OpenApiSerializerExtension,
    OpenApiSerializerFieldExtension,
)
from drf_spectacular.plumbing import ResolvedComponent

from records.api import schema_components as components
from records.content.registry import registry
from records.content.schemas import RecordRef, VocabularyField
from records.content.vocabularies import vocabulary_of_model
from records.models.base import MAX_ID

# ------------------------------------------------------------------ authentication


class ApiTokenAuthenticationExtension(OpenApiAuthenticationExtension):
    target_class = "portal.tokens.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <token>` (or `Bearer <token>`), a token from POST /api/v1/auth/token/ or the "
            "account's tokens page. Tokens expire (BAILANYS_API_TOKEN_DAYS, 90 days by default) and can be revoked.",
        }


# ------------------------------------------------------------------ fields


class RecordRefExtension(OpenApiSerializerFieldExtension):
    target_class = RecordRef

    def map_serializer_field(self, auto_schema, direction):
        expected = " or ".join(self.target.types)
        integer = {"type": "integer", "format": "int64", "minimum": 1, "maximum": MAX_ID}
        if direction == "response":
            return {**integer, "description": f"Id of a {expected}"}
        return {
            "oneOf": [integer, {"type": "string", "pattern": r"^\$[A-Za-z0-9_-]{1,39}$"}],
            "description": f'Id of a published {expected}, or the "$ref" of a new {expected} in the same change set',
        }


class VocabularyFieldExtension(OpenApiSerializerFieldExtension):
    target_class = VocabularyField

    def map_serializer_field(self, auto_schema, direction):
        name = vocabulary_of_model(self.target.vocabulary).name
        return {
            "type": "string",
            "pattern": r"^[a-z0-9_]+$",
            "maxLength": 60,
            "description": f"A code of the `{name}` vocabulary (/api/v1/vocabularies/{name}/)",
        }


class SnapshotFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "records.api.serializers.SnapshotField"

    def map_serializer_field(self, auto_schema, direction):
        return auto_schema.resolve_serializer(self.target.spec.schema, "response").ref


# ------------------------------------------------------------------ proposals


def _register(auto_schema, name: str, schema: dict) -> dict:
    component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema)
    auto_schema.registry.register_on_missing(component)
    return component.ref


class ProposalInputExtension(OpenApiSerializerExtension):
    target_class = "records.api.serializers.ProposalInputSerializer"

    def get_name(self, auto_schema, direction):
        return "ProposalInput"

    def map_serializer(self, auto_schema, direction):
        names = registry.names()
        variants = []
        for spec in registry:
            title = spec.name.capitalize()
            full = auto_schema.resolve_serializer(spec.schema, direction).ref
            partial = auto_schema.resolve_serializer(spec.schema(partial=True), direction).ref
            variants.append(_register(auto_schema, f"Create{title}Change", components.create_change(spec, full)))
            variants.append(_register(auto_schema, f"Update{title}Change", components.update_change(spec, partial)))
        variants.append(_register(auto_schema, "WithdrawChange", components.withdraw_change(names)))
        variants.append(_register(auto_schema, "RevertChange", components.revert_change(names)))
        change_set = _register(auto_schema, "ChangeSet", components.change_set(variants))
        return {
            "oneOf": [*variants, change_set],
            "description": "One change, or a change set under `items`. Submitted for review at once unless `draft`.",
        }
