"""How judge reports look on a terminal."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from cpagent.problems.model import Problem
from cpagent.sandbox.judge import JudgeReport
from cpagent.sandbox.model import Verdict

COLORS = {Verdict.AC: "green", Verdict.WA: "red", Verdict.PE: "red", Verdict.RE: "magenta",
          Verdict.TLE: "yellow", Verdict.MLE: "yellow", Verdict.OLE: "yellow", Verdict.IE: "blue"}


def trim(text: str, lines: int = 12, width: int = 100) -> str:
    rows = text.splitlines()
    shown = [r if len(r) <= width else r[: width - 1] + "…" for r in rows[:lines]]
    if len(rows) > lines:
        shown.append(f"… ({len(rows) - lines} more lines)")
    return "\n".join(shown) if shown else "(empty)"


def verdict_text(verdict: Verdict) -> Text:
    return Text(verdict.value, style=f"bold {COLORS[verdict]}")


def show_report(console: Console, report: JudgeReport, problem: Problem) -> None:
    table = Table(title=f"{problem.id}: {problem.title}" if problem.title else problem.id)
    for column, justify in (("#", "right"), ("test", "left"), ("verdict", "left"),
                            ("time", "right"), ("memory", "right"), ("detail", "left")):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for i, test in enumerate(report.tests, 1):
        table.add_row(str(i), test.name, verdict_text(test.verdict), f"{test.cpu_s:.2f}s",
                      f"{test.memory_kb / 1024:.1f}MB", test.message[:60])
    console.print(table)
    failure = report.first_failure()
    if failure is not None:
        case = next(t for t in problem.tests if t.name == failure.name)
        console.print(Text(f"first failure: {failure.name} ({failure.verdict.value})", "bold"))
        console.print(Text("input:", "bold"), trim(case.input), sep="\n", markup=False)
        console.print(Text("expected:", "bold"), trim(case.answer or ""), sep="\n", markup=False)
        console.print(Text("got:", "bold"), trim(failure.output), sep="\n", markup=False)
        if failure.stderr.strip():
            console.print(Text("stderr:", "bold"), trim(failure.stderr, 8), sep="\n",
                          markup=False)
    summary = Text(f"{report.passed}/{report.total} passed  ")
    summary.append_text(verdict_text(report.verdict))
    summary.append(f"  max {report.max_cpu_s:.2f}s, {report.max_memory_kb / 1024:.1f}MB")
    console.print(summary)
