"""The REST API (/api/v1/): views by part (views/), serializers, formats, the OpenAPI schema, and the
one place where domain errors become HTTP (errors.py)."""
