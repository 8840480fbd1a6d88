"""Adapters: everything that touches the outside world, returning the core's records.

The SQLite store (`sqlite`), the search index (`search`), card, guide and document files
(`content`, `own_cards`, `files`, `user_files`), the calendar export and Anki packages (`anki`).
They import the core and each other, never a use case or the command line.
"""
