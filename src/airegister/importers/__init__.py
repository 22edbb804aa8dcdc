"""Importers turn other registers' exports into our project records (docs/data-model.md).

Each importer exposes `configure(parser)` and `run(args, root)`, so the CLI wires them the same way.
"""
