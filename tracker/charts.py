"""Charts drawn on the server as SVG: no script, nothing fetched, and they print.

Functions here only compute geometry; templates/board/_charts.html draws it, each chart with a
table beside it for screen readers and print.
"""
from dataclasses import dataclass

from tracker.models import Stage

STAGE_COLOURS = {
    Stage.IDEA: "#9aa5b1", Stage.DEVELOPING: "#5b8def", Stage.IN_REVIEW: "#f0a202",
    Stage.SHORTLISTED: "#8e6bd8", Stage.PRESENTED: "#2bb3a3", Stage.SELECTED: "#1e7d32",
    Stage.HANDED_OFF: "#0b6e99", Stage.ADOPTED: "#2f4b9b", Stage.COMPLETED: "#14532d",
    Stage.NOT_SELECTED: "#c7ccd1", Stage.DECLINED: "#b3261e", Stage.WITHDRAWN: "#6b7280",
}
WIDTH, HEIGHT, PAD = 640, 240, 32


@dataclass(frozen=True)
class Band:
    stage: Stage
    colour: str
    points: str  # an SVG polygon's points


@dataclass(frozen=True)
class AreaChart:
    bands: list[Band]
    x_labels: list[tuple[float, str]]
    y_max: int
    width: int = WIDTH
    height: int = HEIGHT


def stacked_area(series: list[dict[Stage, int]], labels: list[str], stages) -> AreaChart:
    """Bands of proposals per stage, stacked, over the points of ``series``."""
    totals = [sum(point.get(s, 0) for s in stages) for point in series]
    y_max = max(totals + [1])
    inner_w, inner_h = WIDTH - 2 * PAD, HEIGHT - 2 * PAD
    step = inner_w / max(1, len(series) - 1)

    def xy(index, value):
        return f"{PAD + index * step:.1f},{HEIGHT - PAD - value / y_max * inner_h:.1f}"

    bands, below = [], [0] * len(series)
    for stage in stages:
        above = [b + point.get(stage, 0) for b, point in zip(below, series)]
        if any(a != b for a, b in zip(above, below)):
            top = [xy(i, v) for i, v in enumerate(above)]
            bottom = [xy(i, v) for i, v in reversed(list(enumerate(below)))]
            bands.append(Band(stage, STAGE_COLOURS[stage], " ".join(top + bottom)))
        below = above
    return AreaChart(bands, [(PAD + i * step, label) for i, label in enumerate(labels)], y_max)


@dataclass(frozen=True)
class Segment:
    stage: Stage
    colour: str
    x: float
    width: float
    count: int


@dataclass(frozen=True)
class BarRow:
    label: str
    total: int
    segments: list[Segment]


def stacked_bars(rows: list[tuple[str, dict[Stage, int]]], stages, width: int = 400) -> list[BarRow]:
    """One horizontal bar per row, its stages side by side in proportion to the largest row."""
    largest = max([sum(counts.values()) for _, counts in rows] + [1])
    result = []
    for label, counts in rows:
        x, segments = 0.0, []
        for stage in stages:
            n = counts.get(stage, 0)
            if n:
                w = n / largest * width
                segments.append(Segment(stage, STAGE_COLOURS[stage], x, w, n))
                x += w
        result.append(BarRow(label, sum(counts.values()), segments))
    return result
