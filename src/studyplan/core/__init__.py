"""The pure core: SM-2 scheduling, day and week plans, the content model, progress figures.

Nothing here reads a file, a database or the clock, and nothing imports click, rich or numpy
(`lint-imports` keeps it so): every function takes what it needs, today included, and returns
records. The adapters fill these records from disk; the use cases in `studyplan.app` join both.
"""
