"""What the fix memory holds, summed up: the figures behind `sleepy review`, its JSON and its HTML report.

Every offer gets one status. An offer with a recorded outcome has that
outcome (accepted, rejected or ignored). An offer with none is "pending" for
its first hour (the user may still pick it) and "ignored" after that. Rates
are taken over decided offers (all but the pending ones), so the acceptance,
rejection and ignore rates of a row add up to 100%. An offer replaced by its
checked successor (the same fix) is not counted: the successor is.

Days are calendar days in the local time zone. The HTML report is one file
with inline CSS and SVG drawn here: no script library, no font, nothing
fetched from the network. Each chart carries `data-points` (marks drawn) and
`data-values` (records summed up) so a test can tell it was drawn with data.
"""

from __future__ import annotations

import html
import math
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Iterable, Iterator

from ..vocabulary import FAMILIES, PROVIDERS
from .store import Episode, FixMemory, Night, Offer, Outcome

PENDING_AFTER = timedelta(hours=1)
STATUSES = ("accepted", "rejected", "ignored", "pending", "manual")
# What vouched for an offer, best first: the project's tests, the compiler; or what makes it risky.
CHECKS = ("tests pass", "compiles", "risky", "not verified")
LATENCY_EDGES_MS = (50, 100, 250, 500, 1000, 2500, 5000, 10000)
SLOWEST = 10
LOWEST = 10
MIN_DECIDED = 3  # an error code needs this many decided offers to rank among the lowest acceptance


def offer_status(offer: Offer, outcome: Outcome | None, now: datetime) -> str:
    """accepted, rejected or ignored as recorded; with no outcome, pending for an hour, then ignored."""
    if outcome is not None:
        return outcome.outcome
    return "pending" if now - datetime.fromisoformat(offer.created_at) < PENDING_AFTER else "ignored"


def local_day(timestamp: str) -> str:
    """The local calendar day (YYYY-MM-DD) of a stored UTC timestamp."""
    return datetime.fromisoformat(timestamp).astimezone().date().isoformat()


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class Tally:
    """Offers counted by status, and beside them the fixes the user wrote by hand (which were no offer)."""

    offers: int = 0
    accepted: int = 0
    rejected: int = 0
    ignored: int = 0
    pending: int = 0
    manual: int = 0

    def add(self, status: str) -> None:
        if status != "manual":
            self.offers += 1
        setattr(self, status, getattr(self, status) + 1)

    @property
    def decided(self) -> int:
        return self.offers - self.pending

    @property
    def acceptance(self) -> float | None:
        return _rate(self.accepted, self.decided)

    @property
    def rejection(self) -> float | None:
        return _rate(self.rejected, self.decided)

    @property
    def ignore(self) -> float | None:
        return _rate(self.ignored, self.decided)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "decided": self.decided, "acceptance_rate": self.acceptance,
                "rejection_rate": self.rejection, "ignore_rate": self.ignore}


@dataclass
class PassTally:
    """Koan episodes counted by result."""

    episodes: int = 0
    passed: int = 0

    def add(self, passed: bool) -> None:
        self.episodes += 1
        self.passed += int(passed)

    @property
    def rate(self) -> float | None:
        return _rate(self.passed, self.episodes)

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "pass_rate": self.rate}


@dataclass
class SlowFix:
    offer: Offer
    status: str


@dataclass
class Review:
    """Everything `sleepy review` shows, for one window of time."""

    database: str
    generated_at: datetime
    since: datetime | None
    days: int
    totals: Tally = field(default_factory=Tally)
    by_family: dict[str, Tally] = field(default_factory=dict)
    by_provider: dict[str, Tally] = field(default_factory=dict)
    by_model: dict[tuple[str, str], Tally] = field(default_factory=dict)
    by_day: dict[str, Tally] = field(default_factory=dict)
    by_day_family: dict[str, dict[str, Tally]] = field(default_factory=dict)
    by_error_code: dict[str, Tally] = field(default_factory=dict)
    by_check: dict[str, Tally] = field(default_factory=dict)  # what vouched for the offers (see CHECKS)
    code_family: dict[str, str] = field(default_factory=dict)
    latencies_ms: list[float] = field(default_factory=list)
    slowest: list[SlowFix] = field(default_factory=list)
    practice_by_family: dict[str, PassTally] = field(default_factory=dict)
    practice_by_day: dict[str, PassTally] = field(default_factory=dict)
    nights: list[Night] = field(default_factory=list)

    @property
    def lowest_acceptance(self) -> list[tuple[str, Tally]]:
        """Error codes with enough decided offers, lowest acceptance first: where learning should aim next."""
        ranked = [(code, t) for code, t in self.by_error_code.items() if t.decided >= MIN_DECIDED]
        ranked.sort(key=lambda item: (item[1].acceptance, -item[1].decided, item[0]))
        return ranked[:LOWEST]

    @property
    def latency_histogram(self) -> list[tuple[str, float, float, int]]:
        """(label, low ms, high ms, offers) per latency bucket."""
        edges = (0.0, *LATENCY_EDGES_MS, math.inf)
        buckets = []
        for low, high in zip(edges, edges[1:]):
            count = sum(1 for ms in self.latencies_ms if low <= ms < high)
            buckets.append((_latency_label(low, high), low, high, count))
        return buckets


def _ordered(keys: Iterable[str], canonical: tuple[str, ...]) -> list[str]:
    present = set(keys)
    return [k for k in canonical] + sorted(present - set(canonical))


def _ms(value: float) -> str:
    return f"{value / 1000:g} s" if value >= 1000 else f"{value:g} ms"


def _latency_label(low: float, high: float) -> str:
    if high == math.inf:
        return f"≥ {_ms(low)}"
    return f"< {_ms(high)}" if low == 0 else f"{_ms(low)}–{_ms(high)}"


def check_of(offer: Offer) -> str:
    """What vouched for an offer: risky before anything else, then the tests, then the compiler."""
    if offer.risks:
        return "risky"
    if offer.tests.startswith("tests pass"):
        return "tests pass"
    return "compiles" if offer.verified else "not verified"


def summarise(pairs: list[tuple[Offer, Outcome | None]], episodes: list[Episode], nights: list[Night],
              now: datetime, since: datetime | None = None, days: int = 0, database: str = "") -> Review:
    """The review of records already chosen for the window (the caller filters by `since`)."""
    review = Review(database, now, since, days)
    review.by_family = {f: Tally() for f in _ordered((o.family for o, _ in pairs), FAMILIES)}
    review.by_provider = {p: Tally() for p in _ordered((o.provider for o, _ in pairs), PROVIDERS)}
    review.by_check = {check: Tally() for check in CHECKS}
    families_of_code: dict[str, Counter] = defaultdict(Counter)
    timed: list[SlowFix] = []
    for offer, outcome in pairs:
        if offer.replaced_by:
            continue  # shown before it was checked, then replaced by the same fix checked: counted as that one
        status = offer_status(offer, outcome, now)
        day = local_day(offer.created_at)
        for tally in (review.totals, review.by_family[offer.family], review.by_provider[offer.provider],
                      review.by_model.setdefault((offer.model, offer.adapter), Tally()),
                      review.by_day.setdefault(day, Tally()),
                      review.by_day_family.setdefault(day, {}).setdefault(offer.family, Tally()),
                      review.by_error_code.setdefault(offer.error_code, Tally())):
            tally.add(status)
        if status != "manual":
            review.by_check[check_of(offer)].add(status)
        families_of_code[offer.error_code][offer.family] += 1
        review.latencies_ms.append(offer.latency_ms)
        timed.append(SlowFix(offer, status))
    review.by_model = dict(sorted(review.by_model.items(), key=lambda item: (-item[1].offers, item[0])))
    review.by_day = dict(sorted(review.by_day.items()))
    review.by_day_family = dict(sorted(review.by_day_family.items()))
    review.code_family = {code: counts.most_common(1)[0][0] for code, counts in families_of_code.items()}
    review.slowest = sorted(timed, key=lambda s: (-s.offer.latency_ms, s.offer.created_at))[:SLOWEST]
    review.practice_by_family = {f: PassTally() for f in _ordered((e.family for e in episodes), FAMILIES)}
    for episode in episodes:
        review.practice_by_family[episode.family].add(episode.passed)
        review.practice_by_day.setdefault(local_day(episode.created_at), PassTally()).add(episode.passed)
    review.practice_by_day = dict(sorted(review.practice_by_day.items()))
    review.nights = list(nights)
    return review


def build_review(store: FixMemory, days: int = 7, now: datetime | None = None) -> Review:
    """The review of the last `days` days of the store (0: everything)."""
    now = now or datetime.now(timezone.utc)
    since = now - timedelta(days=days) if days else None
    return summarise(store.offers_with_outcomes(since), store.episodes(since=since), store.nights(since),
                     now, since, days, str(store.path))


# --- JSON ------------------------------------------------------------------------------------


def _tallies(tallies: dict[str, Tally]) -> dict[str, dict[str, Any]]:
    return {key: tally.as_dict() for key, tally in tallies.items()}


def _latency_summary(latencies: list[float]) -> dict[str, Any]:
    ordered = sorted(latencies)

    def rank(p: float) -> float | None:  # nearest-rank percentile
        return ordered[max(0, math.ceil(p * len(ordered)) - 1)] if ordered else None

    return {"count": len(ordered), "p50": rank(0.5), "p90": rank(0.9), "p99": rank(0.99),
            "max": ordered[-1] if ordered else None,
            "mean": sum(ordered) / len(ordered) if ordered else None}


def review_json(review: Review) -> dict[str, Any]:
    """The review as plain JSON data for scripts (`sleepy review --json`)."""
    return {
        "database": review.database,
        "generated_at": review.generated_at.isoformat(),
        "since": review.since.isoformat() if review.since else None,
        "days": review.days,
        "pending_after_minutes": PENDING_AFTER.total_seconds() / 60,
        "totals": review.totals.as_dict(),
        "by_family": _tallies(review.by_family),
        "by_provider": _tallies(review.by_provider),
        "by_check": _tallies(review.by_check),
        "by_model": [{"model": model, "adapter": adapter, **tally.as_dict()}
                     for (model, adapter), tally in review.by_model.items()],
        "by_day": _tallies(review.by_day),
        "by_day_family": {day: _tallies(families) for day, families in review.by_day_family.items()},
        "lowest_acceptance": [{"error_code": code, "family": review.code_family[code], **tally.as_dict()}
                              for code, tally in review.lowest_acceptance],
        "slowest": [{"fix_id": s.offer.fix_id, "created_at": s.offer.created_at, "file": s.offer.file,
                     "error_code": s.offer.error_code, "family": s.offer.family, "provider": s.offer.provider,
                     "model": s.offer.model, "adapter": s.offer.adapter, "title": s.offer.title,
                     "latency_ms": s.offer.latency_ms, "status": s.status} for s in review.slowest],
        "latency_ms": {**_latency_summary(review.latencies_ms),
                       "histogram": [{"label": label, "low_ms": low, "high_ms": None if high == math.inf else high,
                                      "offers": count} for label, low, high, count in review.latency_histogram]},
        "practice": {"by_family": {k: t.as_dict() for k, t in review.practice_by_family.items()},
                     "by_day": {k: t.as_dict() for k, t in review.practice_by_day.items()}},
        "nights": [asdict(night) for night in review.nights],
    }


def export_records(store: FixMemory) -> Iterator[dict[str, Any]]:
    """Every stored record as one JSON object each, tagged by kind, oldest first (`sleepy telemetry export`)."""
    for offer, outcome in store.offers_with_outcomes():
        yield {"kind": "offer", **asdict(offer)}
        if outcome is not None:
            yield {"kind": "outcome", **asdict(outcome)}
    for episode in store.episodes():
        yield {"kind": "episode", **asdict(episode)}
    for night in store.nights():
        yield {"kind": "night", **asdict(night)}


# --- HTML report -----------------------------------------------------------------------------

# How the fix memory fills, for the sentence that answers an empty review (text and HTML).
HOW_IT_FILLS = ("it fills as you work in the editor, with each fix sleepy offers and what you did with it "
                "(accepted, rejected or ignored) and each compiler error you fix by hand")
format_ms = _ms

# Okabe-Ito colours: told apart by colour-blind readers too.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#999999", "#000000")
WIDTH, HEIGHT = 760, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 150, 24, 64


def family_colour(family: str) -> str:
    index = FAMILIES.index(family) if family in FAMILIES else len(FAMILIES) + sum(map(ord, family)) % 2
    return PALETTE[index % len(PALETTE)]


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.1%}"


def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _svg_open(chart_id: str, title: str, points: int, values: int, series: int) -> str:
    return (f'<svg class="chart" id="chart-{chart_id}" data-chart="{chart_id}" data-points="{points}" '
            f'data-values="{values}" data-series="{series}" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
            f'height="{HEIGHT}" role="img" aria-label="{_esc(title)}">')


def _no_data(text: str) -> str:
    return (f'<text class="empty" x="{(WIDTH - RIGHT + LEFT) / 2}" y="{HEIGHT / 2}" text-anchor="middle">'
            f'{_esc(text)}</text>')


def _y_axis(top_value: float, fmt) -> list[str]:
    plot_h = HEIGHT - TOP - BOTTOM
    parts = []
    for i in range(5):
        y = TOP + plot_h * (1 - i / 4)
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="tick" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">'
                     f'{fmt(top_value * i / 4)}</text>')
    return parts


def _x_labels(labels: list[str]) -> list[str]:
    """Labels under their slots: level where every label fits its slot, else turned by 30 degrees."""
    plot_w = WIDTH - LEFT - RIGHT
    step = max(1, math.ceil(len(labels) / 12))
    level = max(len(label) for label in labels) * 6.5 <= plot_w / len(labels) * step - 8
    parts = []
    for i, label in enumerate(labels):
        if i % step:
            continue
        x = LEFT + (i + 0.5) * plot_w / len(labels)
        y = HEIGHT - BOTTOM + 16
        if level:
            parts.append(f'<text class="tick" x="{x:.1f}" y="{y}" text-anchor="middle">{_esc(label)}</text>')
        else:
            parts.append(f'<text class="tick" x="{x:.1f}" y="{y}" text-anchor="end" '
                         f'transform="rotate(-30 {x:.1f} {y})">{_esc(label)}</text>')
    return parts


def _legend(names: list[str]) -> list[str]:
    parts = []
    for i, name in enumerate(names):
        y = TOP + 8 + i * 20
        parts.append(f'<rect x="{WIDTH - RIGHT + 16}" y="{y - 8}" width="12" height="12" '
                     f'fill="{family_colour(name)}"/>')
        parts.append(f'<text class="legend" x="{WIDTH - RIGHT + 34}" y="{y + 2}">{_esc(name)}</text>')
    return parts


def line_chart(chart_id: str, title: str, x_labels: list[str],
               series: dict[str, list[tuple[int, float, str, bool]]], values: int, empty: str) -> str:
    """Rates (0 to 1) over x_labels, one line per series; a point is (x index, rate, tooltip, filled)."""
    points = sum(len(p) for p in series.values())
    parts = [_svg_open(chart_id, title, points, values, len(series))]
    if not points:
        return "".join(parts + [_no_data(empty), "</svg>"])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts += _y_axis(1.0, lambda v: f"{v:.0%}") + _x_labels(x_labels) + _legend(list(series))
    for name, marks in series.items():
        colour = family_colour(name)
        coords = [(LEFT + (i + 0.5) * plot_w / len(x_labels), TOP + (1 - rate) * plot_h, tip, filled)
                  for i, rate, tip, filled in sorted(marks)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in coords)
        parts.append(f'<polyline class="line" data-series="{_esc(name)}" points="{path}" stroke="{colour}"/>')
        for x, y, tip, filled in coords:
            fill = colour if filled else "#ffffff"
            parts.append(f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{fill}" stroke="{colour}">'
                         f'<title>{_esc(tip)}</title></circle>')
    return "".join(parts + ["</svg>"])


def bar_chart(chart_id: str, title: str, bars: list[tuple[str, float, str, str]], top_value: float,
              fmt, values: int, empty: str, faded: frozenset[int] = frozenset(), series: int = 1) -> str:
    """One bar per (label, value, tooltip, colour); the y axis runs from 0 to top_value; bars whose index
    is in `faded` are drawn pale (e.g. a night's candidate that was not promoted)."""
    parts = [_svg_open(chart_id, title, len(bars), values, series)]
    if not bars:
        return "".join(parts + [_no_data(empty), "</svg>"])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    parts += _y_axis(top_value, fmt) + _x_labels([label for label, *_ in bars])
    slot = plot_w / len(bars)
    for i, (label, value, tip, colour) in enumerate(bars):
        height = max(2.0, plot_h * value / top_value if top_value else 0)  # a stub, so a zero still shows
        x = LEFT + i * slot + slot * 0.15
        pale = ' fill-opacity="0.35"' if i in faded else ""
        parts.append(f'<rect class="bar" data-label="{_esc(label)}" data-value="{value:g}" x="{x:.1f}" '
                     f'y="{TOP + plot_h - height:.1f}" width="{slot * 0.7:.1f}" height="{height:.1f}" fill="{colour}"'
                     f'{pale} stroke="{colour}"><title>{_esc(tip)}</title></rect>')
        parts.append(f'<text class="value" x="{x + slot * 0.35:.1f}" y="{TOP + plot_h - height - 4:.1f}" '
                     f'text-anchor="middle">{_esc(fmt(value))}</text>')
    return "".join(parts + ["</svg>"])


def _nice_ceiling(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= value)


LINES_FROM = 2  # days (or nights) of data from which a chart draws lines over time instead of bars


def _decided_days(review: Review) -> int:
    return sum(1 for families in review.by_day_family.values() if any(t.decided for t in families.values()))


def acceptance_chart(review: Review) -> str:
    days = list(review.by_day_family)
    series: dict[str, list[tuple[int, float, str, bool]]] = {}
    for i, day in enumerate(days):
        for family, tally in review.by_day_family[day].items():
            if tally.decided:
                tip = f"{family}, {day}: {tally.accepted} of {tally.decided} accepted ({_percent(tally.acceptance)})"
                series.setdefault(family, []).append((i, tally.acceptance, tip, True))
    series = {f: series[f] for f in _ordered(series, FAMILIES) if f in series}
    if _decided_days(review) < LINES_FROM:  # a line needs days to run through: until then, one bar per family
        bars = [(family, marks[0][1], marks[0][2], family_colour(family)) for family, marks in series.items()]
        return bar_chart("acceptance", "Acceptance per family", bars, 1.0, lambda v: f"{v:.0%}",
                         review.totals.decided, "No decided offers in this window yet.", series=len(bars))
    return line_chart("acceptance", "Acceptance over time per family", days, series, review.totals.decided,
                      "No decided offers in this window yet.")


def latency_chart(review: Review) -> str:
    buckets = [(label, float(count), f"{label}: {count} offers", PALETTE[0])
               for label, _, _, count in review.latency_histogram if count]
    top = _nice_ceiling(max((value for _, value, _, _ in buckets), default=0))
    return bar_chart("latency", "Latency distribution (offers per bucket)", buckets, top, lambda v: f"{v:g}",
                     len(review.latencies_ms), "No offers in this window yet.")


def nights_chart(review: Review) -> str:
    order: list[str] = []
    best: dict[tuple[str, str], list[Night]] = defaultdict(list)
    for night in review.nights:
        if night.night not in order:
            order.append(night.night)
        best[(night.night, night.family)].append(night)
    series: dict[str, list[tuple[int, float, str, bool]]] = {}
    for (run, family), candidates in best.items():
        top = max(candidates, key=lambda n: n.score_after)
        promoted = any(n.promoted for n in candidates)
        methods = ", ".join(sorted({n.method for n in candidates}))
        tip = (f"{family}, {run}: {top.score_before:.0%} → {top.score_after:.0%} ({methods}); "
               f"{'promoted' if promoted else 'not promoted'}")
        series.setdefault(family, []).append((order.index(run), top.score_after, tip, promoted))
    series = {f: series[f] for f in _ordered(series, FAMILIES) if f in series}
    if len(order) < LINES_FROM:
        bars = [(family, marks[0][1], marks[0][2], family_colour(family)) for family, marks in series.items()]
        faded = frozenset(i for i, marks in enumerate(series.values()) if not marks[0][3])
        return bar_chart("nights", "Koan pass rate per family after the night (pale: not promoted)", bars, 1.0,
                         lambda v: f"{v:.0%}", len(review.nights), "No nights recorded in this window yet.", faded,
                         len(bars))
    return line_chart("nights", "Koan pass rate per night (filled: promoted)", order, series, len(review.nights),
                      "No nights recorded in this window yet.")


def practice_chart(review: Review) -> str:
    bars = [(family, tally.rate, f"{family}: {tally.passed} of {tally.episodes} koans passed", family_colour(family))
            for family, tally in review.practice_by_family.items() if tally.episodes]
    return bar_chart("practice", "Koan pass rate per family (day practice)", bars, 1.0, lambda v: f"{v:.0%}",
                     sum(t.episodes for t in review.practice_by_family.values()),
                     "No koan practice in this window yet.")


def _table(title: str, headers: list[str], rows: list[list[Any]], numeric_from: int = 1,
           wrap: int | None = None) -> str:
    """A table; the column at index `wrap` (a title) wraps within its cell instead of widening the table."""
    head = "".join(f"<th>{_esc(h)}</th>" for h in headers)

    def cls(i: int) -> str:
        return " class=wrap" if i == wrap else " class=num" if i >= numeric_from else ""

    body = "".join("<tr>" + "".join(f"<td{cls(i)}>{_esc(cell)}</td>" for i, cell in enumerate(row)) + "</tr>"
                   for row in rows)
    if not rows:
        body = f'<tr><td colspan="{len(headers)}" class="empty">nothing recorded</td></tr>'
    return (f'<h3>{_esc(title)}</h3><div class="table"><table><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>")


TALLY_HEADERS = ["offers", "accepted", "rejected", "ignored", "pending", "by hand", "acceptance", "rejection",
                 "ignore"]


def tally_cells(tally: Tally) -> list[str]:
    return [str(tally.offers), str(tally.accepted), str(tally.rejected), str(tally.ignored), str(tally.pending),
            str(tally.manual), _percent(tally.acceptance), _percent(tally.rejection), _percent(tally.ignore)]


def night_cells(night: Night) -> list[str]:
    return [local_day(night.created_at), night.night, night.family, night.method, night.adapter, night.base_model,
            f"{night.trainable_params:,}", str(night.examples), f"{night.seconds / 60:.1f}",
            f"{night.score_before:.0%} → {night.score_after:.0%}", str(night.regressions),
            "yes" if night.promoted else "no"]


NIGHT_HEADERS = ["day", "night", "family", "method", "adapter", "base model", "trainable params", "examples",
                 "minutes", "pass rate", "regressions", "promoted"]

SLOW_HEADERS = ["latency", "day", "family", "code", "provider", "model / adapter", "status", "title"]


def slow_cells(slow: SlowFix) -> list[str]:
    o = slow.offer
    return [_ms(round(o.latency_ms)), local_day(o.created_at), o.family, o.error_code, o.provider,
            model_label(o.model, o.adapter), slow.status, o.title]


def model_label(model: str, adapter: str) -> str:
    return f"{model or '(none)'} / {adapter or 'base'}"


CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1280px;color:#1d2330;
background:#fff;padding:0 16px}h1{margin-bottom:4px}.meta{color:#5b6577;margin-top:0}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}.card{border:1px solid #d9dee8;border-radius:8px;
padding:10px 16px;min-width:120px}.card b{display:block;font-size:1.6em}.charts{display:grid;
grid-template-columns:1fr;gap:18px}figure{margin:0;border:1px solid #d9dee8;border-radius:8px;padding:8px}
figcaption{font-weight:600;margin:4px 8px}svg.chart{max-width:100%;height:auto}svg .grid{stroke:#e3e7ef}
svg .tick,svg .legend,svg .value{font-size:11px;fill:#3b4455}svg .line{fill:none;stroke-width:2}
svg .empty{fill:#8a93a3;font-size:14px}table{border-collapse:collapse;margin:6px 0 18px;font-size:13px}
.table{overflow-x:auto}th,td{border-bottom:1px solid #e3e7ef;padding:4px 8px;text-align:left;white-space:nowrap}
td.num{text-align:right;font-variant-numeric:tabular-nums}th{background:#f4f6fa}td.empty{color:#8a93a3}
td.wrap{white-space:normal;min-width:16em;max-width:40em;overflow-wrap:anywhere}
.nothing{font-size:1.15em;max-width:46em;line-height:1.5;border:1px solid #d9dee8;border-radius:8px;padding:16px 20px}
h2{margin:28px 0 8px}
"""

# Marks the charts the browser really laid out; the report reads the same without it.
CHECK_SCRIPT = """
for (const svg of document.querySelectorAll('svg.chart')) {
  let drawn = 0;
  for (const mark of svg.querySelectorAll('.point, .bar')) {
    const box = mark.getBBox();
    if (box.width > 0 && box.height > 0) drawn++;
  }
  svg.setAttribute('data-rendered', String(drawn));
}
"""


def has_records(review: Review) -> bool:
    """Whether the window holds anything at all to report."""
    return bool(review.totals.offers or review.totals.manual or review.nights or has_koan_data(review))


def has_koan_data(review: Review) -> bool:
    """Koan practice (`sleepy day`) or nights (`sleepy-train`) in the window: an editor-only user has none."""
    return bool(review.nights) or any(t.episodes for t in review.practice_by_family.values())


def render_html(review: Review) -> str:
    """The self-contained HTML report: summary, SVG charts and the tables; the koan and night part only
    where there is koan data, and one sentence saying how the memory fills where there is nothing."""
    window = f"last {review.days} days" if review.days else "all time"
    totals = review.totals
    head = [
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>sleepy-coder review</title><style>", CSS, "</style></head><body>",
        f"<h1>sleepy-coder review</h1><p class=meta>{_esc(window)} · {_esc(review.database)} · generated "
        f"{_esc(review.generated_at.astimezone().strftime('%Y-%m-%d %H:%M'))} · nothing here left this machine</p>",
    ]
    if not has_records(review):
        held = f"in the {window}" if review.days else "yet"
        return "".join([*head, f'<p class="nothing" id="nothing">The fix memory holds nothing {_esc(held)}: '
                        f"{_esc(HOW_IT_FILLS)}.</p></body></html>\n"])
    koans = has_koan_data(review)
    cards = [("offers", totals.offers), ("accepted", _percent(totals.acceptance)),
             ("rejected", _percent(totals.rejection)), ("ignored", _percent(totals.ignore)),
             ("pending", totals.pending), ("fixed by hand", totals.manual)]
    if koans:
        cards.append(("nights", len({n.night for n in review.nights})))
    over_time = _decided_days(review) >= LINES_FROM
    charts = [("Acceptance over time per family" if over_time else "Acceptance per family", acceptance_chart(review)),
              ("Latency distribution", latency_chart(review))]
    koan_charts = [("Koan pass rate per night", nights_chart(review)),
                   ("Koan pass rate per family", practice_chart(review))]
    tables = [
        _table("Offers by family", ["family", *TALLY_HEADERS],
               [[f, *tally_cells(t)] for f, t in review.by_family.items() if t.offers]),
        _table("Offers by provider", ["provider", *TALLY_HEADERS],
               [[p, *tally_cells(t)] for p, t in review.by_provider.items() if t.offers]),
        _table("Offers by model and adapter", ["model / adapter", *TALLY_HEADERS],
               [[model_label(*key), *tally_cells(t)] for key, t in review.by_model.items()]),
        _table("Offers per day", ["day", *TALLY_HEADERS], [[d, *tally_cells(t)] for d, t in review.by_day.items()]),
        _table("Lowest acceptance (where learning should aim next)", ["code", "family", *TALLY_HEADERS],
               [[code, review.code_family[code], *tally_cells(t)] for code, t in review.lowest_acceptance], 2),
        _table("Slowest fixes", SLOW_HEADERS, [slow_cells(s) for s in review.slowest], 99,
               wrap=SLOW_HEADERS.index("title")),
    ]
    koan_part = []
    if koans:
        koan_part = ['<h2 id="koans">Koan practice and nights</h2><div class="charts">',
                     *(f"<figure><figcaption>{_esc(caption)}</figcaption>{svg}</figure>" for caption, svg in koan_charts),
                     "</div>", _table("Night history", NIGHT_HEADERS, [night_cells(n) for n in review.nights], 99)]
    return "".join([
        *head,
        '<div class="cards">', *(f'<div class="card"><b>{_esc(v)}</b>{_esc(k)}</div>' for k, v in cards), "</div>",
        '<div class="charts">',
        *(f"<figure><figcaption>{_esc(caption)}</figcaption>{svg}</figure>" for caption, svg in charts),
        "</div>", *tables, *koan_part, "<script>", CHECK_SCRIPT, "</script></body></html>\n",
    ])
