"""How often an input spec inferred from the samples alone fits them, and whether the inputs
it generates are ones the problem's reference solution accepts.

    python benchmarks/spec_inference.py ../shared/data/codecontests/dev.jsonl [--index A,B]

For every record: `problems.spec.infer.infer_spec` on the sample inputs, named from the
statement where it can be (`problems.spec.naming`; the names taken are listed); then 10 tiny and
10 random inputs drawn from the spec, run through the record's reference solution in the
Docker sandbox. A reference that crashes or runs out of time on a generated input says the
spec allowed an input the problem does not (a reference that prints a wrong answer on one
is invisible here, so "clean" is an upper bound on validity). The model's specs, for
comparison, come from the flow's trajectories, not from this script.

Then the statement's domain, as stress draws from it: the same spec with the statement's
bounds (`problems.spec.bounds.bounded_spec`, where one applies), 10 edge, 10 tiny and 10
random inputs through the reference. A record clean on the samples' spec but not on its
domain is a false counterexample stress could report: a bound read wrong, or a corner the
statement rules out in words the reader does not take.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.dev_records import add_arguments, references, selected_ids  # noqa: E402
from cpagent.problems.formats.codecontests import read_codecontests  # noqa: E402
from cpagent.problems.model import Limits  # noqa: E402
from cpagent.problems.spec import SpecError  # noqa: E402
from cpagent.problems.spec.bounds import bounded_spec  # noqa: E402
from cpagent.problems.spec.infer import infer_spec  # noqa: E402
from cpagent.problems.spec.naming import name_from_statement  # noqa: E402
from cpagent.sandbox import Program, open_sandbox  # noqa: E402

PER_MODE = 10


def _names(spec) -> list[str]:
    return re.findall(r'"name": "(\w+)"', json.dumps(spec.model_dump(mode="json")))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    args = parser.parse_args()
    refs = references(args.jsonl)
    ids = selected_ids(args.jsonl, args.index)
    box = open_sandbox("docker", size=2)
    fit = clean = named = bounded = domain_clean = 0
    worse: list[str] = []
    started = time.monotonic()
    try:
        for rid in ids:
            problem = read_codecontests(args.jsonl, rid)
            samples = [t.input for t in problem.samples()]
            spec = infer_spec(samples)
            if spec is None:
                print(f"{rid:55} no spec fits the samples")
                continue
            fit += 1
            renamed = name_from_statement(spec, problem.statement, samples)
            taken = sorted(set(_names(renamed)) - set(_names(spec)))
            named += bool(taken)
            spec = renamed
            shown = f"{rid} [{' '.join(taken)}]" if taken else rid
            try:
                inputs = [spec.generate(mode, seed=s) for mode in ("tiny", "random")
                          for s in range(PER_MODE)]
            except (SpecError, ValueError) as exc:
                print(f"{shown:55} generation failed: {exc}")
                continue
            limits = Limits(time_s=max(problem.limits.time_s, 2.0) * 2)
            failing = _failures(box, refs[rid], inputs, limits)
            clean += not failing
            print(f"{shown:55} {failing or f'clean on {len(inputs)} inputs'}")
            domain = bounded_spec(spec, problem.statement, samples)
            if domain is None:
                continue
            bounded += 1
            try:
                inputs = [domain.generate(mode, seed=s) for mode in ("edge", "tiny", "random")
                          for s in range(PER_MODE)]
            except (SpecError, ValueError) as exc:
                print(f"{'':55} its domain: generation failed: {exc}")
                continue
            in_domain = _failures(box, refs[rid], inputs, limits)
            domain_clean += not in_domain
            print(f"{'':55} its domain: {in_domain or f'clean on {len(inputs)} inputs'}")
            if in_domain and not failing:
                worse.append(rid)
    finally:
        box.close()
    n = len(ids)
    print(f"\n{n} problems: a spec fits the samples for {fit}/{n}; the reference runs clean on "
          f"all {2 * PER_MODE} generated inputs for {clean}/{fit} of those; names from the "
          f"statement for {named}/{fit} ({time.monotonic() - started:.0f} s)")
    print(f"the statement bounds the spec for {bounded}/{fit}; the reference runs clean on all "
          f"{3 * PER_MODE} edge, tiny and random inputs of that domain for {domain_clean}/"
          f"{bounded}; clean on the samples' spec but not on its domain: {len(worse)}"
          + (f" ({', '.join(worse)})" if worse else ""))
    return 0


def _failures(box, reference: str, inputs: list[str], limits: Limits) -> str:  # noqa: ANN001
    """"" when the reference runs clean on every input, else the first failure in a line."""
    runs = box.run(Program(source=reference), inputs, limits)
    bad = [(x, r) for x, r in zip(inputs, runs, strict=True) if r.status != "ok"]
    if not bad:
        return ""
    x, r = bad[0]
    why = (r.stderr.strip().splitlines() or [r.reason])[-1][:70]
    return f"reference fails {len(bad)}/{len(inputs)}: {r.status}: {why} on {x[:40]!r}"


if __name__ == "__main__":
    sys.exit(main())
