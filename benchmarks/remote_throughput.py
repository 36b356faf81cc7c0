"""Throughput against a remote model: a contest run at --parallel 1 and at --parallel 16, in
one run, against a loopback emulator of OpenAI's o-series (tests/provider_emulator.py) that
answers each problem's accepted program after a fixed latency.

    python benchmarks/remote_throughput.py ../shared/data/codecontests/dev.jsonl \\
        --problems 40 --latency 3 --parallel 1 16

For each setting: problems per minute, the calls in flight over time (their peak and their
time-weighted mean), the sandbox's busy share (time inside a judge's run over wall time and
slots) and the time attempts waited for a free sandbox slot. The run uses the real batch
executor, run store, openai client and Docker sandbox; only the model is emulated.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.dev_records import references  # noqa: E402
from cpagent.agent.batch import RunSpec, RunStore, execute  # noqa: E402
from cpagent.agent.flow import FlowChoice  # noqa: E402
from cpagent.agent.llm import ModelClient, resolve_settings  # noqa: E402
from cpagent.problems.formats.codecontests import read_codecontests, record_ids  # noqa: E402
from cpagent.sandbox import Program, judge, open_sandbox  # noqa: E402
from tests.provider_emulator import Emulator, openai_reasoning  # noqa: E402


class Timed:
    """Wraps a sandbox: how long its runs take (a slot's wait included; `waited` is that
    part), and how long callers wait for a free slot."""

    def __init__(self, box) -> None:  # noqa: ANN001
        self.box, self.busy, self.waited = box, 0.0, 0.0
        self.lock = threading.Lock()
        take = box._take  # the pool's own wait for a free container

        def timed_take(memory_mb: int):  # noqa: ANN202
            started = time.monotonic()
            try:
                return take(memory_mb)
            finally:
                with self.lock:
                    self.waited += time.monotonic() - started
        box._take = timed_take

    def run(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        started = time.monotonic()
        try:
            return self.box.run(*args, **kwargs)
        finally:
            with self.lock:
                self.busy += time.monotonic() - started

    def __getattr__(self, name: str):  # noqa: ANN204
        return getattr(self.box, name)


def mean_in_flight(points: list[tuple[float, int]], start: float, end: float) -> float:
    total, last_t, last_n = 0.0, start, 0
    for t, n in points:
        if t < start:
            continue
        total += last_n * (t - last_t)
        last_t, last_n = t, n
    total += last_n * (end - last_t)
    return total / (end - start) if end > start else 0.0


def one_setting(problems, answers, parallel: int, latency: float) -> dict:  # noqa: ANN001
    def answer(request: dict) -> str:
        prompt = request["messages"][-1]["content"]
        pid = next(p.id for p in problems if p.statement[:400] in prompt)
        return f"```python\n{answers[pid]}\n```\n"

    with Emulator(openai_reasoning(think_tokens=800), answer, latency_s=latency) as emulator, \
            tempfile.TemporaryDirectory() as tmp:
        settings = resolve_settings("o4-mini", base_url=emulator.base_url, api_key="x")
        client = ModelClient(settings, replay=False)
        options = FlowChoice(flow="oneshot").resolve(settings.rules)
        slots = max(1, min(parallel, os.cpu_count() or 1))
        with RunStore(Path(tmp) / "runs.db") as store, open_sandbox("docker", size=slots) as box:
            spec = RunSpec(model=settings.model, flow=options.model_dump(exclude={"attempt"}))
            store.create_or_resume("bench", spec, problems)
            timed = Timed(box)
            started = time.monotonic()
            progress = execute(store, "bench", problems, [client] * parallel, timed, options,
                               workers=parallel)
            seconds = time.monotonic() - started
        points = emulator.in_flight
        end = started + seconds
    return {"parallel": parallel, "slots": slots, "seconds": seconds,
            "per_minute": progress.done / seconds * 60, "accepted": progress.solved,
            "done": progress.done, "errors": progress.errors, "calls": len(emulator.requests),
            "refused": len(emulator.refused), "peak": max((n for _, n in points), default=0),
            "mean": mean_in_flight(points, started, end),
            "busy_share": (timed.busy - timed.waited) / (seconds * slots),
            "waited": timed.waited}


def clean_problems(path: Path, answers: dict[str, str], count: int) -> list:
    """The first `count` records whose reference passes all their tests here (some fail
    for want of a special checker): the emulated model answers right."""
    kept = []
    with open_sandbox("docker") as box:
        for record_id in record_ids(path):
            if len(kept) == count:
                break
            if record_id in answers:
                problem = read_codecontests(path, record_id)
                if judge(box, Program(source=answers[record_id]), problem).accepted:
                    kept.append(problem)
    return kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("jsonl", type=Path, nargs="?",
                        default=ROOT.parent / "shared" / "data" / "codecontests" / "dev.jsonl")
    parser.add_argument("--problems", type=int, default=40)
    parser.add_argument("--latency", type=float, default=3.0, help="seconds per model call")
    parser.add_argument("--parallel", type=int, nargs="+", default=[1, 16])
    args = parser.parse_args()
    answers = {k: v for k, v in references(args.jsonl).items() if v}
    problems = clean_problems(args.jsonl, answers, args.problems)
    print(f"{len(problems)} CodeContests problems whose Python reference passes every test; "
          f"{args.latency:g} s per model call; o4-mini's rules; oneshot flow; "
          f"{os.cpu_count()} cores")
    rows = [one_setting(problems, answers, p, args.latency) for p in args.parallel]
    print(f"{'parallel':>8} {'slots':>5} {'seconds':>8} {'per min':>8} {'accepted':>8} "
          f"{'errors':>6} {'calls':>5} {'refused':>7} {'peak in flight':>14} "
          f"{'mean in flight':>14} {'sandbox busy':>12} {'slot waits s':>12}")
    for r in rows:
        print(f"{r['parallel']:>8} {r['slots']:>5} {r['seconds']:>8.1f} {r['per_minute']:>8.1f} "
              f"{r['accepted']:>4}/{r['done']:<3} {r['errors']:>6} {r['calls']:>5} "
              f"{r['refused']:>7} {r['peak']:>14} {r['mean']:>14.1f} "
              f"{r['busy_share']:>11.0%} {r['waited']:>12.1f}")
    if len(rows) > 1:
        print(f"speed-up at --parallel {rows[-1]['parallel']} over {rows[0]['parallel']}: "
              f"{rows[-1]['per_minute'] / rows[0]['per_minute']:.1f}x")


if __name__ == "__main__":
    main()
