"""The Public Sector Tech Watch importer: read the CSV, map its values, find or mint organisations."""
