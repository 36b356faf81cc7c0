"""The report's four figures, each a PNG file. matplotlib's Agg backend: no display needed."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 - the backend must be chosen first

from cpagent.agent.contest import OverallRating  # noqa: E402
from cpagent.agent.rating import rating_at, win_probability  # noqa: E402
from cpagent.agent.report.results import ProblemRow  # noqa: E402

__all__ = ["REFERENCE_MODELS", "draw_all"]

# Published Codeforces-style ratings of models, for scale (OpenAI arXiv 2502.06807; CodeElo
# arXiv 2501.01257; AlphaCode arXiv 2203.07814).
REFERENCE_MODELS = {"GPT-4o": 808, "AlphaCode": 1238, "QwQ-32B-Preview": 1261,
                    "o1-preview": 1258, "o1-mini": 1578, "o1": 1673, "o3": 2724}
BIN = 200


def draw_all(rows: list[ProblemRow], rating: OverallRating | None, out: Path) -> dict[str, str]:
    """Write the figures into `out`; return {what: file name}."""
    out.mkdir(parents=True, exist_ok=True)
    figures = {}
    if rating is not None and any(r.rating is not None for r in rows):
        figures["solve rate by problem rating"] = _solve_rate(rows, rating, out)
        figures["rating estimate"] = _estimate(rating, out)
    figures["tokens and time per problem"] = _spend(rows, out)
    figures["verdicts"] = _verdicts(rows, out)
    return figures


def _save(fig, out: Path, name: str) -> str:
    fig.tight_layout()
    fig.savefig(out / name, dpi=110)
    plt.close(fig)
    return name


def _solve_rate(rows: list[ProblemRow], rating: OverallRating, out: Path) -> str:
    rated = [r for r in rows if r.rating is not None]
    bins: dict[int, list[bool]] = {}
    for r in rated:
        bins.setdefault(r.rating // BIN * BIN, []).append(r.solved)
    xs = sorted(bins)
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.bar([x + BIN / 2 for x in xs], [sum(bins[x]) / len(bins[x]) for x in xs], width=BIN * 0.8,
           color="#4c72b0", label="solved share (problems in bin)")
    for x in xs:
        ax.annotate(f"{sum(bins[x])}/{len(bins[x])}", (x + BIN / 2, 0.02), ha="center",
                    fontsize=8, color="white" if sum(bins[x]) else "black")
    lo, hi = min(xs) - BIN, max(xs) + 2 * BIN
    grid = list(range(lo, hi, 10))
    est = rating.estimate.rating
    ax.plot(grid, [win_probability(est, d) for d in grid], color="#dd8452",
            label=f"Elo curve at the estimate {est:.0f}")
    ax.set_xlabel("problem rating")
    ax.set_ylabel("share solved")
    ax.set_ylim(0, 1.05)
    ax.legend(loc="upper right", fontsize=8)
    ax.set_title("Solve rate against problem rating")
    return _save(fig, out, "solve_rate.png")


def _estimate(rating: OverallRating, out: Path) -> str:
    e = rating.estimate
    fig, ax = plt.subplots(figsize=(7, 2.8))
    names = sorted(REFERENCE_MODELS, key=REFERENCE_MODELS.get)
    ax.scatter([REFERENCE_MODELS[n] for n in names], [0] * len(names), color="grey", s=12)
    for i, n in enumerate(names):
        ax.annotate(n, (REFERENCE_MODELS[n], 0), xytext=(0, 8 + 9 * (i % 3)),
                    textcoords="offset points", ha="center", fontsize=7, color="grey")
    ax.errorbar([e.rating], [1], xerr=[[e.rating - e.low], [e.high - e.rating]], fmt="o",
                color="#c44e52", capsize=6)
    ax.annotate(f"this run: {e.rating:.0f} [{e.low:.0f}, {e.high:.0f}], "
                f"{e.level:.0%} interval, n={e.n}", (e.rating, 1), xytext=(0, 10),
                textcoords="offset points", ha="center", fontsize=8)
    for p in (50, 90, 99):
        ax.axvline(rating_at(p), color="#8172b3", lw=0.6, ls=":")
        ax.annotate(f"p{p}", (rating_at(p), 1.6), fontsize=7, color="#8172b3")
    ax.set_yticks([])
    ax.set_ylim(-0.6, 1.9)
    ax.set_xlim(0, max(3000, e.high + 200))
    ax.set_xlabel("Codeforces rating")
    ax.set_title("Rating estimate, published models and user percentiles")
    return _save(fig, out, "estimate.png")


def _spend(rows: list[ProblemRow], out: Path) -> str:
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 5), sharex=True)
    labels = [r.id.split("_")[0] + r.index if r.contest != r.id else r.id[:12] for r in rows]
    colors = ["#55a868" if r.solved else "#c44e52" for r in rows]
    top.bar(range(len(rows)), [r.tokens for r in rows], color=colors)
    top.set_ylabel("tokens")
    top.set_title("Tokens and wall-clock time per problem (green: solved)")
    bottom.bar(range(len(rows)), [r.seconds / 60 for r in rows], color=colors)
    bottom.set_ylabel("minutes")
    bottom.set_xticks(range(len(rows)), labels, rotation=90, fontsize=6)
    return _save(fig, out, "spend.png")


def _verdicts(rows: list[ProblemRow], out: Path) -> str:
    counts = Counter(v for r in rows for v in r.verdicts)
    names = sorted(counts, key=counts.get, reverse=True)
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.bar(names, [counts[n] for n in names], color="#4c72b0")
    ax.set_ylabel("attempts")
    ax.set_title("Verdicts of all attempts on the known tests")
    return _save(fig, out, "verdicts.png")
