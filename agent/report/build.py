"""A run's report: the data (`Report`, a pydantic model, also written as report.json), then
markdown and a self-contained HTML page with the figures."""

from __future__ import annotations

import base64
import html
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from cpagent.agent.batch.store import RunSpec, RunStore
from cpagent.agent.contest import (
    ContestDataError,
    ContestResult,
    OverallRating,
    contest_from_standings,
    overall,
    place_in,
    real_field,
    virtual_field,
)
from cpagent.agent.report.plots import REFERENCE_MODELS, draw_all
from cpagent.agent.report.rates import RateRow, solve_rates
from cpagent.agent.report.results import ProblemRow, TimeModel, contest_results, problem_rows
from cpagent.agent.report.results import __doc__ as METHOD
from cpagent.problems.model import Problem
from cpagent.problems.ratings import attach_ratings

__all__ = ["Report", "build_report", "write_report"]

FIELD_SIZE = 2000


class Report(BaseModel):
    model_config = ConfigDict(extra="forbid")

    run: str
    spec: RunSpec
    time_model: TimeModel
    field: str
    problems: list[ProblemRow]
    contests: list[ContestResult]
    real_rounds: list[ContestResult]
    rating: OverallRating | None
    rates: list[RateRow] = []  # pass@1 over every attempted problem, rated or not
    skipped_unrated: list[str]
    pending: int
    errors: int


def build_report(store: RunStore, run: str, *, ratings: Path | None = None,
                 time_model: TimeModel = "elapsed", skip_unrated: bool = False,
                 real: list[tuple[Path, Path]] = (), field_size: int = FIELD_SIZE,
                 seed: int = 0) -> Report:
    """`real` pairs a round's standings with its rating changes (Codeforces API JSON): the
    agent is also placed among that round's real entrants."""
    spec = store.spec(run)
    problems = store.problems(run)
    if ratings:
        problems = attach_ratings(problems, ratings)
    attempts = store.attempts(run)
    unrated = [p.id for p in problems if p.rating is None]
    if unrated and not skip_unrated:
        raise ContestDataError(f"problem {unrated[0]} has no rating ({len(unrated)} unrated): "
                               "give --ratings CSV, or --skip-unrated to leave them out")
    rates = solve_rates(problems, problem_rows(problems, attempts))
    rated: list[Problem] = [p for p in problems if p.rating is not None]
    # A problem with no finished attempt yet says nothing about the agent: leave it out.
    rows = [r for r in problem_rows(rated, attempts) if r.attempts > 0]
    contests = [_placed(c, field_size, seed) for c in contest_results(rows, time_model)]
    rating = overall(contests, seed=seed) if rows else None
    real_rounds = [_real_round(contests, standings, changes, run) for standings, changes in real]
    return Report(run=run, spec=spec, time_model=time_model, real_rounds=real_rounds,
                  field=f"virtual: {field_size} entrants a round drawn from the Codeforces "
                        f"rating distribution, seed {seed}",
                  problems=rows, contests=contests, rating=rating, rates=rates,
                  skipped_unrated=unrated,
                  pending=sum(a.state in ("pending", "running") for a in attempts),
                  errors=sum(a.state == "error" for a in attempts))


def _placed(result: ContestResult, size: int, seed: int) -> ContestResult:
    field = virtual_field(result.contest, size=size, seed=seed)
    standing = place_in(field, result.attempts, result.contest)
    return result.model_copy(update={"standing": standing})


def _real_round(contests: list[ContestResult], standings: Path, changes: Path,
                run: str) -> ContestResult:
    """The agent's attempts in that round, placed among its real entrants, on the round's
    own points and problems (those the run did not attempt count as unsolved)."""
    contest = contest_from_standings(standings)
    field = real_field(standings, changes)
    mine = next((c for c in contests if c.contest.codeforces_id is not None
                 and c.contest.codeforces_id == contest.codeforces_id), None)
    if mine is None:
        raise ContestDataError(f"{standings}: run {run!r} has no problem of round "
                               f"{contest.codeforces_id}")
    indices = {p.id for p in contest.problems}
    attempts = [a for a in mine.attempts if a.problem_id in indices]
    return ContestResult(contest=contest, attempts=attempts,
                         standing=place_in(field, attempts, contest))


def write_report(report: Report, out: Path) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    figures = draw_all(report.problems, report.rating, out)
    (out / "report.json").write_text(report.model_dump_json(indent=1))
    markdown = render_markdown(report, figures)
    (out / "report.md").write_text(markdown)
    (out / "report.html").write_text(render_html(report, figures, out))
    return {"markdown": out / "report.md", "html": out / "report.html",
            "json": out / "report.json"}


def _headline(report: Report) -> list[str]:
    rows = report.problems
    solved = sum(r.solved for r in rows)
    lines = [f"- problems: {len(rows)} rated, solved {solved} ({solved / max(1, len(rows)):.0%}); "
             f"attempts per problem: {report.spec.samples}"]
    if report.rating:
        e = report.rating.estimate
        lines.append(f"- **rating estimate: {e.rating:.0f}**, {e.level:.0%} interval "
                     f"[{e.low:.0f}, {e.high:.0f}] ({e.method}, n = {e.n}); "
                     f"percentile among Codeforces users: {report.rating.percentile:.1f}")
        if report.rating.mean_performance is not None:
            lines.append(f"- mean performance over {report.rating.contests} simulated rounds: "
                         f"{report.rating.mean_performance:.0f}")
    reasoning = sum(r.reasoning_tokens for r in rows)
    cost = sum(r.cost_usd for r in rows)
    lines.append(f"- spend: {sum(r.calls for r in rows)} model calls, "
                 f"{sum(r.tokens for r in rows)} tokens"
                 + (f" ({reasoning} of them reasoning)" if reasoning else "")
                 + (f", ${cost:.2f} at list prices" if cost else "")
                 + f", {sum(r.seconds for r in rows) / 3600:.2f} hours of solving")
    if report.pending or report.errors:
        lines.append(f"- unfinished: {report.pending} attempts pending, {report.errors} "
                     "failed with an error (not counted)")
    if report.skipped_unrated:
        lines.append(f"- left out for want of a rating: {', '.join(report.skipped_unrated)}")
    return lines


def _flow_text(flow: dict) -> str:
    if flow.get("flow") == "oneshot":
        return f"flow `oneshot` (one reply of at most {flow.get('max_tokens')} tokens)"
    return (f"flow `{flow.get('flow')}` (candidates {flow.get('candidates')}, debug rounds "
            f"{flow.get('rounds')}, at most {flow.get('max_calls')} calls of "
            f"{flow.get('max_tokens')} tokens)")


def render_markdown(report: Report, figures: dict[str, str]) -> str:
    out = [f"# cpagent contest report: {report.run}", "",
           f"model `{report.spec.model}`, {_flow_text(report.spec.flow)}, cpagent "
           f"{report.spec.version}; source `{report.spec.source}`", "", *_headline(report), ""]
    for title, name in figures.items():
        out += [f"![{title}]({name})", ""]
    out += _rates_markdown(report.rates)
    out += ["## Problems", "", "| problem | rating | solved | verdicts | best tests | calls | "
            "tokens | minutes |", "|---|---:|:-:|---|---:|---:|---:|---:|"]
    for r in report.problems:
        out.append(f"| {r.id} | {r.rating} | {'yes' if r.solved else 'no'} | "
                   f"{', '.join(r.verdicts)} | {r.best_passed}/{r.tests} | {r.calls} | "
                   f"{r.tokens} | {r.seconds / 60:.1f} |")
    out += ["", "## Simulated rounds", "", "| round | problems (rating) | solved | score | "
            "place / field | performance |", "|---|---|---:|---:|---:|---:|"]
    for c in report.contests:
        s = c.standing
        probs = ", ".join(f"{p.id} ({p.rating})" for p in c.contest.problems)
        out.append(f"| {c.contest.name} | {probs} | {sum(a.solved for a in c.attempts)} | "
                   f"{s.score:.0f} | {s.place:.1f} / {s.field_size} | {s.performance:.0f} |"
                   if s else f"| {c.contest.name} | {probs} | - | - | - | - |")
    if report.real_rounds:
        out += ["", "## Real rounds", "", "Placed among the round's real entrants (their "
                "ratings before it), on its own points; problems the run did not attempt "
                "count as unsolved.", "", "| round | solved | score | place / entrants | "
                "performance |", "|---|---:|---:|---:|---:|"]
        for c in report.real_rounds:
            s = c.standing
            assert s is not None
            out.append(f"| {c.contest.name} | {sum(a.solved for a in c.attempts)} | "
                       f"{s.score:.0f} | {s.place:.1f} / {s.field_size} | "
                       f"{s.performance:.0f} |")
    refs = ", ".join(f"{k} {v}" for k, v in sorted(REFERENCE_MODELS.items(), key=lambda x: x[1]))
    out += ["", "## Method", "", "The rating estimate is the maximum likelihood rating R from "
            "every rated problem's outcome, with P(solve) = 1 / (1 + 10^((d - R) / 400)) for a "
            "problem rated d, and a bootstrap interval. Each round is also simulated against a "
            f"{report.field}; the place gives a performance rating. Time model: "
            f"`{report.time_model}`.", "", METHOD.strip(), "",
            f"Published model ratings, for scale: {refs}.", ""]
    return "\n".join(out)


def _rates_markdown(rates: list[RateRow]) -> list[str]:
    if not rates:
        return []
    out = ["## Solve rate", "", "Every problem with a finished attempt, rated or not; pass@1 "
           "is the share of attempts accepted.", "",
           "| group | problems | attempts | pass@1 | solved |", "|---|---:|---:|---:|---:|"]
    for r in rates:
        name = "all problems" if r.group == "all" else f"{r.group} {r.value}"
        out.append(f"| {name} | {r.problems} | {r.attempts} | {r.pass_at_1:.1%} | "
                   f"{r.solved} |")
    return [*out, ""]


def _rates_html(rates: list[RateRow]) -> str:
    if not rates:
        return ""
    rows = "".join(
        f"<tr><td>{html.escape('all problems' if r.group == 'all' else f'{r.group} {r.value}')}"
        f"</td><td>{r.problems}</td><td>{r.attempts}</td><td>{r.pass_at_1:.1%}</td>"
        f"<td>{r.solved}</td></tr>" for r in rates)
    return ("<h2>Solve rate</h2><table><tr><th>group</th><th>problems</th><th>attempts</th>"
            f"<th>pass@1</th><th>solved</th></tr>{rows}</table>")


def render_html(report: Report, figures: dict[str, str], out: Path) -> str:
    """The same content as one page, figures inlined, so the file travels alone."""
    images = "".join(
        f'<figure><img alt="{html.escape(title)}" src="data:image/png;base64,'
        f'{base64.b64encode((out / name).read_bytes()).decode()}"><figcaption>'
        f"{html.escape(title)}</figcaption></figure>" for title, name in figures.items())
    rows = "".join(
        f"<tr><td>{html.escape(r.id)}</td><td>{r.rating}</td><td>{'yes' if r.solved else 'no'}"
        f"</td><td>{html.escape(', '.join(r.verdicts))}</td><td>{r.best_passed}/{r.tests}</td>"
        f"<td>{r.calls}</td><td>{r.tokens}</td><td>{r.seconds / 60:.1f}</td></tr>"
        for r in report.problems)
    headline = "".join(f"<li>{html.escape(line[2:]).replace('**', '')}</li>"
                       for line in _headline(report))
    return (
        "<!doctype html><meta charset=utf-8><title>cpagent report: "
        f"{html.escape(report.run)}</title><style>body{{font-family:sans-serif;max-width:60em;"
        "margin:auto}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:2px "
        "6px}}img{{max-width:100%}}</style>"
        f"<h1>cpagent contest report: {html.escape(report.run)}</h1>"
        f"<p>model {html.escape(report.spec.model)}, flow "
        f"{html.escape(str(report.spec.flow.get('flow')))}</p><ul>{headline}</ul>{images}"
        f"{_rates_html(report.rates)}<h2>Problems</h2><table><tr><th>problem</th><th>rating</th><th>solved</th>"
        "<th>verdicts</th><th>best tests</th><th>calls</th><th>tokens</th><th>minutes</th></tr>"
        f"{rows}</table><h2>Method</h2><pre>{html.escape(METHOD.strip())}</pre>")
