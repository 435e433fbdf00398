"""The Textual app: start screen, chat interview, table-三 grid, finish screen — the only Textual importer."""
