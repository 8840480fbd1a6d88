"""A day's plan, a grade and an undo in words, as the terminal and the web page both say them."""

from __future__ import annotations

from datetime import date, timedelta

from studyplan.core.numbers import easiness
from studyplan.core.plan import ItemKind, Plan, Stage
from studyplan.core.planner import INTERVIEW_DAY_MINUTES
from studyplan.core.records import MarkKind, Undone, UndoneMark
from studyplan.core.settings import Settings
from studyplan.core.srs.card_state import CardState, GradeKind, moved_before_interview
from studyplan.core.text_safety import printable


def grade_sentence(
    card_id: str, quality: int, state: CardState, kind: GradeKind, settings: Settings | None = None
) -> str:
    """What a grade did; with the settings, the interview's and days off's part in it."""
    off = _day_off_due(state.due, settings) if settings is not None else ""
    if kind is GradeKind.DRILL:
        note = "re-drill: already reviewed today, schedule unchanged"
        if quality < 4:
            note += "; it comes back until you grade it 4 or more"
        return f"{printable(card_id)}: graded {quality} ({note}). Next review {state.due}.{off}"
    again = " Below 4: it comes back later today." if quality < 4 else ""
    interview = settings.interview_date if settings is not None else None
    return (
        f"{printable(card_id)}: graded {quality}. {_next_review(state, interview)}, easiness "
        f"{easiness(state.easiness / 100)}, repetitions {state.repetitions}.{off}{again}"
    )


def _next_review(state: CardState, interview: date | None) -> str:
    """When the card comes next, saying so when the interview moved it."""
    days = f"{state.interval} day{'s' if state.interval != 1 else ''}"
    if moved_before_interview(state):
        return (
            f"Next review by {state.due}, moved before the interview "
            f"(SM-2 alone: in {days}, {state.sm2_due})"
        )
    if interview is not None and state.last_review < interview <= state.due:
        return (
            f"Next review {state.due} (in {days}), after the interview: SM-2 counts on it holding"
        )
    return f"Next review {state.due} (in {days})"


def _day_off_due(due: date, settings: Settings) -> str:
    """When the due day is a day off: the study day the card comes on instead."""
    if not settings.is_day_off(due):
        return ""
    comes = settings.next_study_day(due)
    if comes is None:
        return f" {due} is a day off, as is every day after it."
    return f" {due} is a day off: it comes on {comes:%A %d %B}."


def stage_sentences(plan: Plan) -> list[str]:
    """Where the day stands: the interview ahead, a day off, the interview day, after it."""
    lines = []
    interview = plan.interview_date
    if interview is not None:
        lines.append(_interview_sentence(plan, interview))
    if plan.stage is Stage.DAY_OFF:
        lines.append(day_off_sentence(plan.interview_date, plan.resumes))
    return lines


def _interview_sentence(plan: Plan, interview: date) -> str:
    days = (interview - plan.date).days
    if plan.stage is Stage.AFTER_INTERVIEW:
        return (
            f"Your interview was on {interview}; nothing more is planned. Set the next one with "
            "`studyplan config interview-date YYYY-MM-DD`, or `--unset` it to keep studying."
        )
    if days == 0 and plan.items:
        return (
            f"Interview today: a warm-up of at most {INTERVIEW_DAY_MINUTES} minutes in all, "
            "your weakest cards, nothing new. Good luck."
        )
    if days == 0:
        done = "the warm-up is done; nothing more to study" if plan.minutes_done else "no study"
        return f"Interview today: {done}. Good luck."
    return f"Interview in {days} day{'s' if days != 1 else ''} ({interview}){_final_note(plan)}."


def _final_note(plan: Plan) -> str:
    if plan.stage is not Stage.FINAL_WEEK:
        return ""
    if not plan.count(ItemKind.NEW) and plan.interview_date == plan.date + timedelta(days=1):
        return " — the eve: no new cards, weakest cards first"
    return (
        " — final week: weakest cards first, and the reviews SM-2 would give just after the "
        "interview come before it, spread over these days"
    )


def day_off_sentence(interview: date | None, resumes: date | None) -> str:
    """On a day off: when study resumes (None: no study day is left)."""
    if resumes is None:
        return (
            "Nothing is planned: every day from here is a day off (`studyplan config days-off` "
            "and `weekday-minutes` set them)."
        )
    if interview is not None and resumes > interview:
        return f"Nothing is planned, and no study day is left before your interview on {interview}."
    when = f"{resumes:%A %d %B}"
    if interview is not None and resumes == interview:
        when += ", the interview day, with a short warm-up"
    return f"Nothing is planned today; study resumes on {when}."


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
