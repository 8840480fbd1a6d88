"""Which new cards a day takes: the target set in the order worth learning, tracks taking
turns by weight in minutes over the last days, and the target companies' cards on a
schedule that has them all in a week before the interview."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from studyplan.core.model import PRIORITY_RANK, Card, Track
from studyplan.core.plan import DayBudget, ItemKind, plan_item
from studyplan.core.review_time import ReviewTimes
from studyplan.core.settings import Settings
from studyplan.core.srs.card_state import CardState

NEW_CARDS_LEAD_DAYS = 2  # the last day before the interview brings no new card
COMPANY_LEAD_DAYS = 7  # every target company's card is introduced this long before the interview
BALANCE_DAYS = 7  # tracks' shares of new-card minutes are balanced over this many days
BALANCE_SLACK = 0.02  # how far above its share a track may go while another cannot fit
COMPANY_BOOST_LIMIT = 0.07  # how far above its weight share the company track may go
COMPANY_MARGIN_DAYS = 0.5  # share of the days left a candidate can be counted on to study
COMPANY_MARGIN = 0.5  # new-card minutes shrink as reviews grow: plan on half of today's
COMPANY_SPARE_DAYS = 2  # target-company cards aim to be in this long before the deadline
_TRACK_ORDER = tuple(Track)


def company_cards_until(interview: date) -> date:
    """The day by which every target company's card is introduced."""
    return interview - timedelta(days=COMPANY_LEAD_DAYS)


def new_cards_until(interview: date) -> date:
    """The last day a new card is introduced before the interview."""
    return interview - timedelta(days=NEW_CARDS_LEAD_DAYS)


def in_target_set(card: Card, settings: Settings) -> bool:
    """Cards the candidate means to learn: weighted tracks, and only their own companies' guides."""
    if settings.track_weights.get(card.track, 0) <= 0:
        return False
    if card.track is Track.COMPANY and settings.companies:
        return bool(set(card.companies) & set(settings.companies))
    return True


def is_target_company_card(card: Card, settings: Settings) -> bool:
    """A company-track card of one of the target companies: due a week before the interview."""
    return card.track is Track.COMPANY and bool(set(card.companies) & set(settings.companies))


def introduction_order(cards: Sequence[Card], companies: Sequence[str]) -> list[Card]:
    """Cards in the order they are worth learning: cards for the target `companies` first,
    then core, common and deep, then corpus order."""
    targets = set(companies)

    def rank(indexed: tuple[int, Card]) -> tuple[bool, int, int]:
        position, card = indexed
        return (not targets & set(card.companies), PRIORITY_RANK[card.priority], position)

    return [card for _, card in sorted(enumerate(cards), key=rank)]


def target_pool(cards: Sequence[Card], settings: Settings) -> list[Card]:
    """Every target card in introduction order. Depends on no state, so a simulation
    computes it once."""
    order = introduction_order(cards, settings.companies)
    return [card for card in order if in_target_set(card, settings)]


def track_weights_for(
    pool: Sequence[Card],
    states: Mapping[str, CardState],
    settings: Settings,
    today: date,
    new_minutes_today: float,
) -> dict[Track, float]:
    """The tracks' weights for today's new cards: the settings', with the company track
    raised (at most COMPANY_BOOST_LIMIT above its share) when the target companies' cards
    would otherwise not all be introduced a week before the interview."""
    weights = {track: float(settings.track_weights.get(track, 0)) for track in Track}
    interview = settings.interview_date
    if interview is None or not settings.companies or weights[Track.COMPANY] <= 0:
        return weights
    waiting = [c for c in pool if c.id not in states and is_target_company_card(c, settings)]
    days = settings.study_days(today, company_cards_until(interview))
    if not waiting or days <= 0 or new_minutes_today <= 0:
        return weights
    open_tracks = {c.track for c in pool if c.id not in states}
    others = sum(w for t, w in weights.items() if t in open_tracks and t is not Track.COMPANY)
    if others <= 0:
        return weights
    share = weights[Track.COMPANY] / (others + weights[Track.COMPANY])
    needed = sum(c.minutes for c in waiting) / (days * COMPANY_MARGIN) / new_minutes_today
    boosted = min(max(share, needed), share + COMPANY_BOOST_LIMIT, 0.95)
    weights[Track.COMPANY] = boosted * others / (1 - boosted)
    return weights


def plan_new_cards(
    fill: DayBudget,
    pool: Sequence[Card],
    states: Mapping[str, CardState],
    settings: Settings,
    today: date,
    times: ReviewTimes,
) -> None:
    """New cards, tracks taking turns by weight in minutes (see `new_card_order`).

    The next card comes from the track whose new-card minutes over the last BALANCE_DAYS
    days, with this card, are least for its weight (the long-run clock breaks ties): so
    every seven days follow the weights, not only the run as a whole, and a track of long
    cards is not left out of a week while its clock catches up. A track's turn goes to its
    first card that fits today: a longer one keeps its place for a roomier day. Once a
    track has nothing that fits, the others may use its minutes only up to BALANCE_SLACK
    above their share of the last days: the rest stays reserved.
    """
    allowed = settings.new_per_day - sum(1 for s in states.values() if s.introduced == today)
    if allowed <= 0 or fill.left < 1:
        return
    weights = track_weights_for(pool, states, settings, today, fill.left)
    queues, recent, clock = _turns(pool, states, weights, today)
    open_weight = sum(weights[track] for track in queues)
    room = fill.left

    def take(card: Card) -> bool:
        item = plan_item(card, ItemKind.NEW, card.minutes, today)
        if not fill.offer(item, times.new_redrill(card), defer=False):
            return False
        queues[card.track].remove(card)
        clock[card.track] += card.minutes / weights[card.track]
        recent[card.track] += card.minutes
        return True

    for card in _due_company_cards(queues, settings, today)[:allowed]:
        if take(card):
            allowed -= 1
    shut_out = False
    for _ in range(allowed):
        turns: list[tuple[float, float, int, Track, int]] = []
        for rank, track in enumerate(queues):
            position = next(
                (
                    n
                    for n, card in enumerate(queues[track])
                    if fill.fits(card.minutes, times.new_redrill(card))
                ),
                None,
            )
            if position is None:
                shut_out = shut_out or bool(queues[track])
                continue
            card = queues[track][position]
            share = weights[track] / open_weight + BALANCE_SLACK
            total = sum(recent.values()) + card.minutes
            if shut_out and recent[track] + card.minutes > share * max(total, room):
                continue
            finish = (recent[track] + card.minutes) / weights[track]
            turns.append((finish, clock[track], rank, track, position))
        if not turns:
            return
        _, _, _, track, position = min(turns)  # first of equals wins: fixed track order
        take(queues[track][position])


def _due_company_cards(
    queues: Mapping[Track, list[Card]], settings: Settings, today: date
) -> list[Card]:
    """Target-company cards that must come today, whatever the balance, for all of them to
    be introduced by the deadline a week before the interview (counting on studying about
    every other one of the study days left, days off not counted, and aiming
    COMPANY_SPARE_DAYS early, so that an unannounced day away or a slow session near the
    deadline cannot leave one out)."""
    interview = settings.interview_date
    waiting = [c for c in queues.get(Track.COMPANY, []) if is_target_company_card(c, settings)]
    if interview is None or not waiting:
        return []
    days_left = settings.study_days(today, company_cards_until(interview))
    if days_left <= 0:
        return []
    study_days = max(1, int((days_left - COMPANY_SPARE_DAYS) * COMPANY_MARGIN_DAYS))
    return waiting[: -(-len(waiting) // study_days)] if len(waiting) >= study_days else []


def _turns(
    pool: Sequence[Card],
    states: Mapping[str, CardState],
    weights: Mapping[Track, float],
    today: date,
) -> tuple[dict[Track, list[Card]], dict[Track, float], dict[Track, float]]:
    """Where the tracks' turns start today: each weighted track's unseen cards in pool order
    (tracks in their fixed order), its new-card minutes of the last days, and its clock."""
    found: dict[Track, list[Card]] = {}
    for card in pool:
        if card.id not in states and weights.get(card.track, 0) > 0:
            found.setdefault(card.track, []).append(card)
    queues = {track: found[track] for track in _TRACK_ORDER if track in found}
    recent = recent_new_minutes(pool, states, today)
    learned: dict[Track, float] = dict.fromkeys(queues, 0.0)
    for card in pool:
        state = states.get(card.id)
        if state is not None and state.introduced <= today and card.track in learned:
            learned[card.track] += card.minutes
    # Clocks count every new-card minute so far, so turns do not swing when a busy day
    # leaves the last week; a track far behind (weights changed, cards added) catches up
    # by at most the last week's new-card minutes before taking turns like the others.
    clock = {track: learned[track] / weights[track] for track in queues}
    lead = max(clock.values(), default=0.0)
    week = sum(recent.values())
    return queues, recent, {t: max(c, lead - week / weights[t]) for t, c in clock.items()}


def new_card_order(
    pool: Sequence[Card],
    states: Mapping[str, CardState],
    weights: Mapping[Track, float],
    today: date,
) -> list[Card]:
    """Every unseen card of `pool`, tracks taking turns by weight in minutes.

    Weighted fair queueing: each track's clock is the minutes of its cards introduced so far
    over its weight (see `_turns`), and the next card comes from the track whose clock is
    furthest behind; so a track behind its share catches up first, and a long card is not
    pushed to the end of the day behind many short ones.
    """
    queues, _, clock = _turns(pool, states, weights, today)
    heads = dict.fromkeys(queues, 0)
    order: list[Card] = []
    while True:
        active = [t for t in _TRACK_ORDER if t in queues and heads[t] < len(queues[t])]
        if not active:
            return order
        track = min(active, key=lambda t: clock[t])  # first of equals wins: fixed track order
        card = queues[track][heads[track]]
        clock[track] += card.minutes / weights[track]
        heads[track] += 1
        order.append(card)


def recent_new_minutes(
    pool: Sequence[Card], states: Mapping[str, CardState], today: date
) -> dict[Track, float]:
    """Minutes of new cards each track still holding unseen cards got in the last
    BALANCE_DAYS days, today included."""
    since = today - timedelta(days=BALANCE_DAYS - 1)
    recent: dict[Track, float] = {card.track: 0.0 for card in pool if card.id not in states}
    for card in pool:
        state = states.get(card.id)
        if state is not None and since <= state.introduced <= today and card.track in recent:
            recent[card.track] += card.minutes
    return recent
