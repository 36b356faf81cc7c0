"""DATASHEET.md: the export described for the people who will train on it, after the
questions of "Datasheets for Datasets" (Gebru et al.): what is in it, how it was made,
what was removed and why, where the problems come from and under which terms."""

from __future__ import annotations

from collections import Counter

from cpagent.agent.datagen.records import Datasheet, Drops, SuiteSummary
from cpagent.agent.datagen.suites import MAX_SHARE, TINY_SHARE

__all__ = ["render_datasheet"]


def render_datasheet(sheet: Datasheet) -> str:
    parts = [_head(sheet), _composition(sheet), _collection(sheet), _cleaning(sheet),
             _suites(sheet), _sources(sheet), _files(), _uses()]
    return "\n".join(parts).rstrip("\n") + "\n"


def _table(header: list[str], rows: list[list[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _head(s: Datasheet) -> str:
    return (f"# Datasheet: run `{s.run}`\n\n"
            f"Training data exported by cpagent {s.exporter_version} from the {s.kind} run "
            f"`{s.run}` (created {s.run_created}): every attempt of model `{s.model}` at "
            f"{s.problems_exported} competitive-programming problems, {s.samples} "
            f"independent attempts each, judged on the problems' tests in the Docker "
            f"sandbox. Export status: {s.status}.\n")


def _composition(s: Datasheet) -> str:
    solved = f"{s.accepted}/{s.attempts}" if s.attempts else "0/0"
    lines = ["## Composition\n",
             f"- attempts exported: {s.attempts} (accepted {solved}; {s.attempts_error} ended "
             f"in an error of the agent; {s.attempts_unfinished} not finished and left out)",
             f"- problems: {s.problems_exported} exported of {s.problems_in_run} in the run; "
             f"{s.problems_solved} with at least one accepted attempt",
             f"- SFT records: {s.sft_records}; preference pairs: {s.preference_pairs}",
             f"- test suites: {sum(x.status == 'written' for x in s.suites)}, with "
             f"{sum(x.kept for x in s.suites)} generated tests",
             f"- model calls: {s.model_calls}; tokens: {s.tokens}", ""]
    verdicts = _table(["verdict on the known tests", "attempts"],
                      [[v, n] for v, n in s.verdicts.items()])
    rows = _table(["problem", "attempts", "accepted", "duplicates", "preference pairs"],
                  [[r.problem, r.attempts, r.accepted, r.duplicates, r.preference_pairs]
                   for r in s.problems])
    return "\n".join(lines) + "\n" + verdicts + "\n" + rows


def _collection(s: Datasheet) -> str:
    knobs = ", ".join(f"{k} {v}" for k, v in s.settings.items())
    return ("## Collection\n\n"
            f"- model: `{s.model}`; flow settings: {knobs}\n"
            f"- attempts per problem: {s.samples}, each with its own sampling seeds; model "
            f"calls replay from the call log, so the run is reproducible\n"
            f"- solved with cpagent {s.cpagent_version}; problems from `{s.source}`\n"
            f"- labels: a program is accepted when it passes every known test of the problem "
            f"(samples and secret tests) under the problem's checker and limits\n")


def _cleaning(s: Datasheet) -> str:
    bounds = [f"before {s.before}" if s.before else "", f"on or after {s.after}"
              if s.after else ""]
    wanted = " and ".join(b for b in bounds if b)
    lines = ["## Deduplication and decontamination\n",
             f"- deduplication: {s.duplicates} attempts marked as duplicates. Rule: "
             f"{s.dedup_rule}. Duplicates stay in trajectories.jsonl (with `duplicate_of`) "
             "and are left out of sft.jsonl and preferences.jsonl."]
    if wanted:
        lines.append(f"- decontamination: problems whose contest date is {wanted}; "
                     f"{len(s.excluded_by_date)} problems left out by their date, "
                     f"{len(s.excluded_undated)} for want of a date")
        if s.excluded_undated:
            lines.append(f"  - without a date: {', '.join(s.excluded_undated)}")
    else:
        lines.append("- decontamination: none asked for (`--before`/`--after` DATE filters "
                     "by the problems' contest dates)")
    if s.missing_calls:
        lines.append(f"- {s.missing_calls} model calls named by trajectories were not in the "
                     "call log: their messages are missing")
    return "\n".join(lines) + "\n"


def _suites(s: Datasheet) -> str:
    written = [x for x in s.suites if x.status == "written"]
    drops = Drops()
    for x in written:
        drops = drops.add(x.dropped)
    reasons = Counter(x.status for x in s.suites if x.status != "written")
    lines = ["## Generated test suites\n",
             f"For each problem with an accepted attempt and an input spec (the problem's own, "
             f"else the one the flow found and checked against the samples), {s.suite_size} "
             f"inputs drawn with seeds 0 to {max(0, s.suite_size - 1)}: {TINY_SHARE:.0%} tiny, "
             f"{MAX_SHARE:.0%} of maximum size, the rest random. An input is kept when every "
             "distinct accepted program finishes and the problem's checker accepts every "
             "program's output, and every finishing brute force's, against the first accepted "
             "program's, which becomes the answer.\n",
             f"- suites written: {len(written)}; tests kept: {sum(x.kept for x in written)}",
             f"- inputs dropped: {drops.disagreement} disagreements, {drops.solution_failed} "
             f"where an accepted program failed, {drops.duplicate_input} drawn twice, "
             f"{drops.generation_failed} that could not be generated"]
    lines += [f"- no suite ({reason}): {n} problems" for reason, n in sorted(reasons.items())]
    return "\n".join(lines) + "\n\n" + _suite_table(s.suites)


def _suite_table(suites: list[SuiteSummary]) -> str:
    return _table(["problem", "suite", "tests", "programs", "brute forces", "disagreements",
                   "program failed"],
                  [[x.problem, x.status, x.kept, x.voters, x.brute_forces,
                    x.dropped.disagreement, x.dropped.solution_failed] for x in suites])


def _sources(s: Datasheet) -> str:
    licenses = Counter(x.license for x in s.sources)
    return ("## Sources and licenses\n\n"
            + _table(["license", "problems"], [[k, n] for k, n in sorted(licenses.items())])
            + "\n" + _table(["problem", "origin", "license", "rights owner", "source"],
                            [[x.id, x.origin, x.license, x.rights_owner, x.source]
                             for x in s.sources])
            + "\nThe solutions, reasoning and tests were written by the model and cpagent; "
              "the statements inside the prompts are the problems' own, under the terms "
              "above.\n")


def _files() -> str:
    return ("## Files\n\n"
            "- `trajectories.jsonl`: every finished attempt, accepted or not: messages of "
            "every model call, reasoning, code, verdict on every test, counterexamples, "
            "tokens, model, settings, cpagent version\n"
            "- `sft.jsonl`: accepted, deduplicated attempts as `{\"messages\": [...]}` (OpenAI "
            "chat fine-tuning format; Hugging Face chat templates take it as is); "
            "`sft.meta.jsonl` says, line for line, which attempt each came from\n"
            "- `preferences.jsonl`: `prompt`, `chosen` (accepted), `rejected` (not accepted), "
            "both from the same problem and answering the same prompt (TRL's conversational "
            "preference format)\n"
            "- `tests/<problem>/`: a Kattis package whose `data/secret/` holds the generated "
            "tests; `suite.json` records the spec, seeds, voters and drops\n"
            "- `datasheet.json`: this sheet as data\n")


def _uses() -> str:
    return ("## Uses and caveats\n\n"
            "- Rejected attempts are kept on purpose: filtering to accepted ones alone loses "
            "most of the signal.\n"
            "- \"Accepted\" means accepted on the known tests; a problem with few tests can "
            "accept a wrong program. The generated suites are a second check.\n"
            "- Problems without a contest date cannot be decontaminated by date.\n")
