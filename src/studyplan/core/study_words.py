"""A grade and an undo in words, as the terminal and the web page both say them."""

from __future__ import annotations

from studyplan.core.numbers import easiness
from studyplan.core.records import MarkKind, Undone, UndoneMark
from studyplan.core.srs.card_state import CardState, GradeKind
from studyplan.core.text_safety import printable


def grade_sentence(card_id: str, quality: int, state: CardState, kind: GradeKind) -> str:
    if kind is GradeKind.DRILL:
        note = "re-drill: already reviewed today, schedule unchanged"
        if quality < 4:
            note += "; it comes back until you grade it 4 or more"
        return f"{printable(card_id)}: graded {quality} ({note}). Next review {state.due}."
    again = " Below 4: it comes back later today." if quality < 4 else ""
    return (
        f"{printable(card_id)}: graded {quality}. Next review {state.due} (in {state.interval} "
        f"day{'s' if state.interval != 1 else ''}), easiness {easiness(state.easiness / 100)}, "
        f"repetitions {state.repetitions}.{again}"
    )


MARK_TAKEN_BACK = {
    MarkKind.SUSPEND: ("suspended", "it is studied again."),
    MarkKind.UNSUSPEND: ("unsuspended", "it is suspended again."),
    MarkKind.KNOWN: ("marked known", "the card is new again."),
    MarkKind.TO_LEARN: ('answered "don\'t know" in placement', "placement will ask again."),
}


def undone_sentence(undone: Undone | UndoneMark) -> str:
    if isinstance(undone, UndoneMark):
        done, now = MARK_TAKEN_BACK[undone.mark]
        return f"Took back {printable(undone.card_id)} {done} on {undone.day}: {now}"
    what = f"Took back {printable(undone.card_id)} graded {undone.quality} on {undone.day}"
    if undone.kind is GradeKind.DRILL:
        after = "it was a same-day re-drill, so its schedule is unchanged."
    elif undone.state is None:
        after = "the card is new again."
    else:
        after = f"next review {undone.state.due} again (interval {undone.state.interval})."
    return f"{what}: {after}"
