"""What a record may contain: the content schemas (the one validation path), the record types' registry
and their registrations, the controlled vocabularies, and the language a label is read in."""
