"""Named failures of search; the CLI turns each into a one-line message."""

from __future__ import annotations

from studyplan.core.errors import IndexMissing, StudyplanError

__all__ = ["BadQuery", "EncoderError", "IndexCorrupt", "IndexMissing", "IndexOutdated"]


class BadQuery(StudyplanError):
    """The query or one of its options cannot be searched as given."""


class IndexCorrupt(IndexMissing):
    """An index file is unreadable or does not match the manifest."""

    def __init__(self, index_dir: object, detail: str) -> None:
        self.detail = detail
        super().__init__(
            f"search index in {index_dir} is damaged ({detail}) — run `studyplan index --rebuild`"
        )


class IndexOutdated(IndexMissing):
    """The index was built for another model or index format."""

    def __init__(self, index_dir: object, detail: str) -> None:
        self.detail = detail
        super().__init__(
            f"search index in {index_dir} is out of date ({detail}) — run `studyplan index`"
        )


class EncoderError(StudyplanError):
    """The embedding model cannot be loaded or exported as expected."""
