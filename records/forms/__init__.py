"""Forms of the editors' workspace, generated from the record types' content schemas."""
