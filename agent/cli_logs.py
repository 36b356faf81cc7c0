"""`cpagent logs`: read the call log, where every model call is kept with its prompt, reply,
reasoning, tokens, latency and cost. Reading never creates a log where there is none."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from cpagent.agent.cli_options import in_range
from cpagent.agent.errors import fail, user_errors
from cpagent.agent.llm.log import CallLog, CallRecord, default_log_path

__all__ = ["logs_app"]

logs_app = typer.Typer(help="The call log: every prompt and reply, what it cost, what failed.")

LOG = typer.Option(None, "--log", help="the call log's SQLite file (default: logs.db under "
                   "$CPAGENT_HOME, else ~/.local/share/cpagent)")
AS_JSON = typer.Option(False, "--json", help="print the records as JSON")


def open_log(path: Path | None) -> CallLog:
    """The call log, read-only: a reader never creates one, nor writes into it."""
    path = path or default_log_path()
    if not path.is_file():
        raise fail(f"no call log at {path}: no model call has been logged there")
    with user_errors():
        return CallLog(path, read_only=True)


def status(record: CallRecord) -> str:
    if record.error:
        return "error: " + first_line(record.error, 40)
    if record.cached:
        return f"replay #{record.replay_of}"
    return record.finish_reason or "ok"


def first_line(text: str | None, width: int = 50) -> str:
    """The first line with something on it, cut to `width` characters."""
    line = next((s.strip() for s in (text or "").splitlines() if s.strip()), "")
    return line if len(line) <= width else line[: max(0, width - 1)] + "…"


def calls_table(records: list[CallRecord], width: int) -> str:
    """One line a call, in `width` columns: the model gets a column only when the rows are
    not all of one model, and the reply's first line gets what width is left."""
    many_models = len({r.model for r in records}) > 1
    header = ["id", "created", *(["model"] if many_models else []), "step", "tokens",
              "seconds", "ended"]
    rows = [[str(r.id), r.created[5:16].replace("T", " "),
             *([r.model] if many_models else []), r.step or "-",
             f"{r.prompt_tokens}+{r.completion_tokens}", f"{r.latency_s:.1f}", status(r)]
            for r in records]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    right = {0, len(header) - 2}  # the id and the seconds line up on their last digit

    def line(cells: list[str], reply: str) -> str:
        text = "  ".join(c.rjust(w) if i in right else c.ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True)))
        room = width - len(text) - 2
        return (text + "  " + first_line(reply, room) if room >= 8 else text).rstrip()

    return "\n".join([line(header, "reply"),
                      *(line(row, r.reply or "") for row, r in zip(rows, records, strict=True))])


@logs_app.callback(invoke_without_command=True)
def list_command(
    ctx: typer.Context,
    count: int = typer.Option(20, "--count", "-n", help="how many, newest first (1 to "
                              "100000)"),
    model: str | None = typer.Option(None, "--model", "-m", help="only this model's calls"),
    step: str | None = typer.Option(None, "--step", help="only this flow step's calls "
                                    "(reflect, brute, solution, debug, ...)"),
    errors: bool = typer.Option(False, "--errors", help="only calls that failed"),
    text: str | None = typer.Option(None, "--search", "-q", help="only calls whose prompt "
                                    "or reply contains this text"),
    log: Path | None = LOG,
    as_json: bool = AS_JSON,
) -> None:
    """List the latest calls: when, which model and step, tokens, seconds, how each ended.

    `cpagent logs show ID` prints one call in full; `cpagent logs totals` sums the spend."""
    if ctx.invoked_subcommand is not None:
        return
    with user_errors():
        in_range("--count", count, 1, 100_000)
    with open_log(log) as calls:
        records = calls.recent(count, model=model, step=step, errors=errors, text=text)
    if as_json:
        print(json.dumps([r.model_dump(mode="json") for r in records], indent=2,
                         ensure_ascii=False))
        return
    if not records:
        print("no calls match")
        return
    print(calls_table(records, shutil.get_terminal_size().columns))


@logs_app.command("show")
def show_command(
    call: int = typer.Argument(..., help="the call's id, as `cpagent logs` lists it"),
    log: Path | None = LOG,
    as_json: bool = AS_JSON,
) -> None:
    """Print one call in full: its settings, every message of the prompt, the reasoning and
    the reply."""
    with open_log(log) as calls:
        record = calls.get(call)
    if record is None:
        raise fail(f"no call {call} in the log")
    if as_json:
        print(record.model_dump_json(indent=2))
        return
    print(f"call {record.id} · {record.created} · {record.model} · step {record.step or '-'}")
    print(f"tokens {record.prompt_tokens} in, {record.completion_tokens} out"
          f"{' (estimated)' if record.usage_estimated else ''} · {record.latency_s:.2f}s · "
          f"${record.cost_usd:.4f} · {status(record)}")
    settings = {k: v for k, v in record.request.items() if k not in ("messages", "model")}
    if settings:
        print("request: " + json.dumps(settings, ensure_ascii=False))
    for message in record.request.get("messages", []):
        print(f"\n## {message.get('role', '?')}\n{message.get('content') or ''}")
    if record.reasoning:
        print(f"\n## reasoning\n{record.reasoning}")
    print(f"\n## reply\n{record.reply if record.reply is not None else '(none)'}")


@logs_app.command("totals")
def totals_command(log: Path | None = LOG, as_json: bool = AS_JSON) -> None:
    """What the log's calls cost, per model: requests, replays (free), tokens, dollars and
    failed attempts."""
    with open_log(log) as calls:
        spends = {model: calls.totals(model) for model in calls.models()}
    if as_json:
        print(json.dumps({m: s.model_dump() for m, s in spends.items()}, indent=2))
        return
    table = Table(box=None, header_style="bold")
    table.add_column("model")
    for name in ("calls", "replayed", "prompt tokens", "cached", "completion tokens",
                 "reasoning", "cost $", "errors"):
        table.add_column(name, justify="right")
    for model, s in spends.items():
        table.add_row(escape(model), str(s.calls), str(s.cached_calls), str(s.prompt_tokens),
                      str(s.cached_tokens), str(s.completion_tokens), str(s.reasoning_tokens),
                      f"{s.cost_usd:.4f}", str(s.errors))
    Console().print(table)


@logs_app.command("path")
def path_command() -> None:
    """Print where the call log is (or will be, before the first call)."""
    print(default_log_path())
