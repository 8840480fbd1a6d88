"""Named failures of the core. The CLI turns each into a one-line message and exit code 1."""


class StudyplanError(Exception):
    """Base class: the message says what is wrong and what to do next."""


class CorpusError(StudyplanError):
    """The corpus has problems; each is reported with its file and line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        count = len(problems)
        summary = problems[0] if count == 1 else f"{count} problems, first: {problems[0]}"
        super().__init__(f"corpus is invalid: {summary} — run `studyplan check` for all of them")


class CorpusMissing(StudyplanError):
    """The shipped cards cannot be found: a broken install or a wrong $STUDYPLAN_CORPUS."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            f"the question bank is missing: {detail} — reinstall studyplan, or point "
            "STUDYPLAN_CORPUS at a folder with cards/*.toml"
        )


class UnknownCard(StudyplanError):
    def __init__(self, card_id: str) -> None:
        super().__init__(f"no card with id {card_id!r} — `studyplan cards` lists them")


class GradeOutOfOrder(StudyplanError):
    def __init__(self, card_id: str, last_review: object, day: object) -> None:
        super().__init__(
            f"{card_id} was last reviewed on {last_review}; a grade cannot be dated {day}, before that"
        )


class UnknownTopic(StudyplanError):
    def __init__(self, topic: str, known: list[str]) -> None:
        close = [t for t in known if topic.lower() in t.lower()][:5]
        hint = (
            f" — did you mean {', '.join(repr(t) for t in close)}?"
            if close
            else " — `studyplan cards` lists topics"
        )
        super().__init__(f"no cards with topic {topic!r}{hint}")


class NothingToUndo(StudyplanError):
    def __init__(self) -> None:
        super().__init__(
            "nothing to undo — every grade and card mark given has already been taken back"
        )


class CardSuspended(StudyplanError):
    def __init__(self, card_id: str) -> None:
        super().__init__(
            f"{card_id} is suspended, so it is not studied — "
            f"`studyplan card unsuspend {card_id}` brings it back"
        )


class AlreadyStudied(StudyplanError):
    def __init__(self, card_id: str, due: object) -> None:
        super().__init__(
            f"{card_id} is already being studied (next review {due}); `card known` is for "
            "cards not started yet — grade it instead"
        )


class ImportedGradeNotUndone(StudyplanError):
    def __init__(self, card_id: str, day: object, origin: str) -> None:
        super().__init__(
            f"the last grade in the log ({card_id}, {day}) was imported from {origin.title()}; "
            "undo takes back grades given in studyplan only, and goes no further back than "
            "an import"
        )


class StoreError(StudyplanError):
    """The database cannot be opened or used as it is."""


class ConfigError(StudyplanError):
    """A setting value is not acceptable."""


class IndexMissing(StudyplanError):
    """No usable search index."""


class ImportFailed(StudyplanError):
    """A document given to `add` cannot be imported."""
