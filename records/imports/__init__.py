"""Bulk import of records from files (CSV, XLSX, BibTeX, CSL-JSON, GeoJSON) as reviewable change sets."""
