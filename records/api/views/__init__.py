"""The API's views, one module a part: `records` (one generic viewset for every record type, with its
history and revisions), `changes` (proposals), `search`, `vocabularies`; `base` holds what they share.

Views are thin: parse, fetch through a permission-aware queryset, call one domain function, render.
Whatever format a client asks for, errors are JSON (`base.JSONErrors`).
"""
