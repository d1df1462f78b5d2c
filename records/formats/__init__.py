"""Records in other people's formats: JSON-LD (schema.org), citations (text, BibTeX, CSL-JSON) and
streamed exports."""
