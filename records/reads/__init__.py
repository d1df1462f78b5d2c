"""Reading published records for pages and API alike: search, filters, facets, keyset pagination, the
records around a record (related lists, links, a place's partnerships)."""
