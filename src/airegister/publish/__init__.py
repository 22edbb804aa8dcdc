"""Publication: turn validated content into the files of a build (dumps, catalog, VoID, CSV, store)."""
