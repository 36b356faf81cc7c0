"""What the harness is worth at a known model skill: the solve rate of oneshot and of the full
flow against the parametric model emulator (benchmarks/model_emulator.py), per skill
setting and per budget of model calls, judged on each problem's full tests.

    python benchmarks/harness_efficiency.py problems/library --settings weak,medium,strong
    python benchmarks/harness_efficiency.py problems/library --limit 5 --settings medium \\
        --budgets 1,2,4      # a smoke run

At budget b, `oneshot` is b independent one-call attempts (each its own draw), the answer
the first whose program passes the samples (else the last): what a user who re-rolls until
the samples pass gets. `full` is one solve with `FlowOptions.max_calls = b` under the
profile named (its other options the profile's). One emulator per solve, all with the same
seed: every flow and budget meets the same draws for the same calls.

Started for issue 30: the table only. Selection loss, check escapes, sandbox
seconds and the plot are what issue 30 still asks for.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.model_emulator import (  # noqa: E402
    PRESETS,
    EmulatedProblem,
    ModelEmulator,
    Skill,
    emulated_problem,
)
from cpagent.agent.flow import FlowOptions, solve  # noqa: E402
from cpagent.agent.flow.profiles import PROFILES  # noqa: E402
from cpagent.agent.llm import ModelClient, ModelSettings  # noqa: E402
from cpagent.sandbox import open_sandbox  # noqa: E402
from cpagent.sandbox.base import Sandbox  # noqa: E402

CACHE = Path.home() / ".cache" / "cpagent" / "emulator_verdicts.json"


@dataclass(frozen=True)
class Outcome:
    solved: bool
    calls: int


def _solve_once(known: EmulatedProblem, box: Sandbox, skill: Skill, seed: int,
                options: FlowOptions):
    with ModelEmulator([known], skill, seed) as emulator:
        settings = ModelSettings(model="emulated", base_url=emulator.base_url, api_key="x")
        with ModelClient(settings) as client:
            return solve(known.problem, client, box, options)


def oneshot(known: EmulatedProblem, box: Sandbox, skill: Skill, seed: int,
            budget: int) -> Outcome:
    """b attempts, each one call; the first that passes the samples is the answer."""
    result = None
    for attempt in range(budget):
        result = _solve_once(known, box, skill, seed,
                             FlowOptions(flow="oneshot", attempt=attempt))
        samples = [s for s in result.trajectory.steps if s.name == "samples"]
        if samples and samples[-1].data.get("verdict") == "AC":
            return Outcome(result.accepted, attempt + 1)
    assert result is not None
    return Outcome(result.accepted, budget)


def full(known: EmulatedProblem, box: Sandbox, skill: Skill, seed: int, budget: int,
         profile: str, stress_s: float | None) -> Outcome:
    values = {**PROFILES[profile], "profile": profile, "max_calls": budget}
    if stress_s is not None:
        values["stress_budget_s"] = stress_s
    result = _solve_once(known, box, skill, seed, FlowOptions(flow="full", **values))
    return Outcome(result.accepted, result.trajectory.calls)


def load_bank(folders: list[Path], box: Sandbox, limit: int | None,
              cache: Path) -> list[EmulatedProblem]:
    """The problems with a reference, in name order, at most `limit`."""
    bank = []
    for folder in folders:
        if limit is not None and len(bank) >= limit:
            break
        known = emulated_problem(folder, box, cache=cache)
        if known is not None:
            bank.append(known)
    return bank


def table(rows: dict[tuple[str, str], list[Outcome]], budgets: list[int], n: int) -> str:
    head = f"{'setting':8} {'flow':16} " + " ".join(f"{'b=' + str(b):>9}" for b in budgets)
    lines = [head]
    for (setting, flow), outcomes in rows.items():
        cells = []
        for i, _ in enumerate(budgets):
            solved = sum(o.solved for o in outcomes[i * n:(i + 1) * n])
            cells.append(f"{solved:>3}/{n:<2} {solved / n:>3.0%}")
        lines.append(f"{setting:8} {flow:16} " + " ".join(f"{c:>9}" for c in cells))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="a folder of Kattis packages")
    parser.add_argument("--settings", default="weak,medium,strong")
    parser.add_argument("--budgets", default="1,2,4,8,16")
    parser.add_argument("--profiles", default="small,reasoning",
                        help="the full flow's profiles (agent/flow/profiles.py)")
    parser.add_argument("--limit", type=int, default=None, help="at most this many problems")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--stress-s", type=float, default=None,
                        help="stress seconds per candidate (default: the flow's)")
    parser.add_argument("--cache", type=Path, default=CACHE,
                        help="verdicts of the known programs, judged once")
    args = parser.parse_args(argv)
    budgets = [int(b) for b in args.budgets.split(",")]
    folders = sorted(p for p in args.source.iterdir() if (p / "problem.yaml").is_file())
    with open_sandbox("docker") as box:
        bank = load_bank(folders, box, args.limit, args.cache)
        print(f"{len(bank)} problems: {', '.join(k.problem.id for k in bank)}; seed "
              f"{args.seed}", flush=True)
        rows: dict[tuple[str, str], list[Outcome]] = {}
        for setting in args.settings.split(","):
            skill = PRESETS[setting]
            rows[(setting, "oneshot")] = [oneshot(k, box, skill, args.seed, b)
                                          for b in budgets for k in bank]
            for profile in args.profiles.split(","):
                rows[(setting, f"full/{profile}")] = [
                    full(k, box, skill, args.seed, b, profile, args.stress_s)
                    for b in budgets for k in bank]
            print(table({k: v for k, v in rows.items() if k[0] == setting}, budgets,
                        len(bank)), flush=True)
    print("\nsolved on the full tests, by budget of model calls")
    print(table(rows, budgets, len(bank)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
