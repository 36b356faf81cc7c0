"""A parametric model emulator: a loopback OpenAI-compatible server whose skill is a set of
known probabilities, for measuring what the harness is worth without a strong model.

    bank = [emulated_problem(LIBRARY / "temperature-swing", box)]
    with ModelEmulator(bank, PRESETS["medium"], seed=7) as emulator:
        settings = ModelSettings(model="emulated", base_url=emulator.base_url, api_key="x")
        with ModelClient(settings) as client:
            result = solve(bank[0].problem, client, box, FlowOptions())
        print([a.label for a in emulator.answers])

It answers every kind of request the solving flow makes (agent/flow/), for problems whose
right and wrong programs are known (`EmulatedProblem`):

- `reflect`: a valid reflection with a plan (no skill involved);
- `spec`: the problem's own input spec, or an empty one (the flow then goes on without);
- `solution` (a first answer): the reference with `p_right`, a wrong program with `p_wrong`,
  else a crashing or unparsable one (`p_crash`);
- `repair` (debug or fix_faster, shown a failing sample or counterexample): the reference
  with `p_fix`, else a wrong program other than the one shown;
- `brute`: the problem's brute force (the reference where it has none) with `p_brute`,
  else a wrong program;
- `faster` (a rewrite for speed): the reference with `p_fast`, else a wrong program.

The wrong programs are real: the package's wrong_answer, time_limit_exceeded and
run_time_error submissions and AST mutants of the reference (benchmarks/mutants.py) that
pass the samples, each judged once on the problem's tests so that every program called
wrong is one the judge rejects (`Verified`, cached on disk when given a path). A wrong
program is instead one that fails a sample (a mutant that does: a blunder) with
`p_blunder`: the library's submissions nearly all pass the samples, and so, without this
share, would every wrong answer, which is no model's habit.

Every answer is a function of (seed, problem, kind, how many times that kind was asked for
that problem in this emulator's life, the attempt the request's sample index names): the
same seed gives the same run, and a run replayed from the call log asks nothing. Within an
attempt the count orders the calls, so the sample's position is left out: oneshot's first
solution and the full flow's first solution are then the same draw, and flows are compared
on the same luck. One emulator per solve, so that counts start at zero for each run.

Tests import this module (`from benchmarks.model_emulator import ...`): it is small and
stable, like tests/scripted_server.py, and the harness benchmarks are built on it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import random
import threading
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from benchmarks.mutants import all_mutants, ranked
from cpagent.agent.flow.gateway import SAMPLES_PER_ATTEMPT
from cpagent.agent.flow.prompts import PROMPTS
from cpagent.problems.formats.kattis import read_submissions
from cpagent.problems.load import load_problem
from cpagent.problems.model import Problem
from cpagent.sandbox import judge
from cpagent.sandbox.base import Sandbox
from cpagent.sandbox.model import Program

__all__ = ["PRESETS", "Answer", "EmulatedProblem", "ModelEmulator", "Named", "Skill",
           "Verified", "emulated_problem", "request_kind"]

Kind = Literal["reflect", "spec", "brute", "solution", "repair", "faster"]
Label = Literal["right", "wrong", "crash", "plan", "spec"]

# Which prompt files ask for what. The other files are fragments of prompts, never sent alone.
_KIND_OF_PROMPT: dict[str, Kind] = {
    "reflect": "reflect", "spec": "spec", "brute": "brute", "brute_call": "brute",
    "solution": "solution", "solution_call": "solution", "debug": "repair",
    "fix_faster": "repair", "faster": "faster",
}


class Skill(BaseModel):
    """What the emulated model gets right, as probabilities per request."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    p_right: float = Field(ge=0, le=1, description="a first solution is the reference")
    p_wrong: float = Field(ge=0, le=1, description="... a plausible wrong program")
    p_crash: float = Field(ge=0, le=1, description="... one that crashes or does not parse")
    p_fix: float = Field(ge=0, le=1, description="a repair shown a failure is the reference")
    p_brute: float = Field(ge=0, le=1, description="a brute force is right")
    p_fast: float = Field(ge=0, le=1, description="a rewrite for speed is the reference")
    # 0 by default, so that a Skill written before it draws exactly as it did.
    p_blunder: float = Field(0.0, ge=0, le=1, description="a wrong program fails a sample")

    @model_validator(mode="after")
    def _first_answers_add_up(self) -> Skill:
        if abs(self.p_right + self.p_wrong + self.p_crash - 1) > 1e-9:
            raise ValueError("p_right + p_wrong + p_crash must be 1")
        return self


# Chosen, not measured: three points to draw the harness's curve through.
# - weak: the embedded 1.5B model as benchmarks/results/README.md records it: few first
#   answers right (5 of 39 CodeContests A/B problems solved over every recorded run), more
#   than a third crashing on a sample (29 of 78 programs), and no repair of 44 that worked
#   (near-miss, counterexample and crash repairs); its speed rewrites get a detail wrong; of
#   its programs that neither crashed nor were right, nearly all failed a sample (2 of 78
#   programs passed the samples in the reader experiment).
# - strong: a frontier reasoning model on easy problems: most first answers right, crashes
#   rare, a repair shown a concrete failure usually lands, a brute force almost always right,
#   and its mistakes subtle: most pass the samples.
# - medium: between the two, where the harness's checks and repairs should matter most.
PRESETS: dict[str, Skill] = {
    "weak": Skill(p_right=0.10, p_wrong=0.50, p_crash=0.40, p_fix=0.02, p_brute=0.50,
                  p_fast=0.10, p_blunder=0.90),
    "medium": Skill(p_right=0.35, p_wrong=0.50, p_crash=0.15, p_fix=0.30, p_brute=0.80,
                    p_fast=0.40, p_blunder=0.50),
    "strong": Skill(p_right=0.70, p_wrong=0.25, p_crash=0.05, p_fix=0.60, p_brute=0.95,
                    p_fast=0.70, p_blunder=0.20),
}


@dataclass(frozen=True)
class Named:
    """A program the emulator may answer with, and where it came from
    (`accepted/min_max.py`, `mutant 3: flip_comparison at line 4`, `unparsable`)."""

    name: str
    source: str


@dataclass(frozen=True)
class EmulatedProblem:
    """A problem with its known programs: every one in `wrong` and `crash` is rejected by the
    judge on the problem's tests (see `emulated_problem`), the reference is accepted."""

    problem: Problem
    reference: Named
    brute: Named | None
    wrong: tuple[Named, ...]
    crash: tuple[Named, ...]
    blunders: tuple[Named, ...] = ()  # mutants of the reference that fail a sample


@dataclass(frozen=True)
class Answer:
    """One reply, as the emulator meant it: what was asked, and what it answered with."""

    problem: str
    kind: Kind
    count: int  # how many times this kind was asked for this problem before
    attempt: int
    label: Label
    program: str  # the Named program's name, or "" for JSON replies


# -- recognising a request ------------------------------------------------------------------

@functools.cache
def _openings() -> tuple[tuple[str, Kind], ...]:
    """Each prompt's fixed opening words (its text before the first placeholder), longest
    first, so that one opening that begins another cannot shadow it."""
    found = []
    for name, kind in _KIND_OF_PROMPT.items():
        head = (PROMPTS / f"{name}.md").read_text().split("$", 1)[0].strip()
        if not head:
            raise ValueError(f"prompt {name}.md opens with a placeholder: no fixed words")
        found.append((head, kind))
    return tuple(sorted(found, key=lambda pair: -len(pair[0])))


def request_kind(messages: Sequence[dict[str, Any]]) -> Kind | None:
    """What a request asks for, from the opening words of its first user message (a
    structured call's repair round continues the same conversation)."""
    user = next((m.get("content") or "" for m in messages if m.get("role") == "user"), "")
    return next((kind for head, kind in _openings() if user.startswith(head)), None)


def _which_problem(messages: Sequence[dict[str, Any]],
                   bank: Sequence[EmulatedProblem]) -> EmulatedProblem | None:
    """The problem whose statement the prompt holds (the longest, should one statement hold
    another); its title where the statement is empty, as the gateway sends it."""
    user = next((m.get("content") or "" for m in messages if m.get("role") == "user"), "")
    held = [(len(text), p) for p in bank
            if (text := (p.problem.statement or p.problem.title).strip()) and text in user]
    return max(held, key=lambda pair: pair[0])[1] if held else None


# -- the known programs -----------------------------------------------------------------------

class Verified(BaseModel):
    """A program's verdicts on one problem's samples and full tests, cached by its source."""

    samples: bool
    full: bool


class _VerdictCache:
    """Verdicts kept in a JSON file (or memory) keyed by the problem's tests and the source:
    judging every mutant of every problem again on each run would dwarf the run."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.known: dict[str, dict[str, bool]] = {}
        if path is not None and path.exists():
            self.known = json.loads(path.read_text())
        self._lock = threading.Lock()

    @staticmethod
    def key(problem: Problem, source: str) -> str:
        tests = json.dumps([(t.name, t.input, t.answer) for t in problem.tests])
        return hashlib.sha256(f"{problem.id}\0{tests}\0{source}".encode()).hexdigest()

    def verdict(self, box: Sandbox, problem: Problem, source: str) -> Verified:
        key = self.key(problem, source)
        with self._lock:
            if key in self.known:
                return Verified(**self.known[key])
        program = Program(source=source)
        samples = judge(box, program, problem, tests=problem.samples()).accepted
        full = samples and judge(box, program, problem).accepted
        with self._lock:
            self.known[key] = {"samples": samples, "full": full}
            if self.path is not None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.path.write_text(json.dumps(self.known, sort_keys=True))
        return Verified(samples=samples, full=full)


def _unparsable(reference: str) -> str:
    """The reference cut off mid-way: what a reply that ran out of tokens leaves."""
    lines = reference.splitlines()
    return "\n".join(lines[: max(1, len(lines) // 2)]) + "\nprint((\n"


def emulated_problem(folder: Path, box: Sandbox, *, mutants: int = 4,
                     cache: Path | None = None) -> EmulatedProblem | None:
    """A Kattis package's problem with its known programs, or None if it has no accepted
    submission. Every program it keeps as wrong or crashing is judged (or found in `cache`)
    and dropped if the judge accepts it; `mutants` mutants of the reference that pass the
    samples and fail the full tests are added to the wrong ones (the first that do, in
    benchmarks/mutants.py's spread order, at most 4 * `mutants` judged)."""
    problem = load_problem(folder)
    found = read_submissions(folder)
    accepted = found.get("accepted") or []
    if not accepted:
        return None
    verdicts = _VerdictCache(cache)
    reference = Named(f"accepted/{accepted[0].name}", accepted[0].read_text())
    if not verdicts.verdict(box, problem, reference.source).full:
        raise ValueError(f"{problem.id}: the reference {reference.name} is not accepted")
    brutes = found.get("brute_force") or []
    brute = Named(f"brute_force/{brutes[0].name}", brutes[0].read_text()) if brutes else None

    def rejected(category: str) -> list[Named]:
        named = [Named(f"{category}/{p.name}", p.read_text()) for p in found.get(category, [])]
        return [n for n in named if not verdicts.verdict(box, problem, n.source).full]

    wrong = rejected("wrong_answer") + rejected("time_limit_exceeded")
    subtle, blunders = _mutants(reference.source, problem, box, verdicts, mutants)
    crash = [*rejected("run_time_error"), Named("unparsable", _unparsable(reference.source))]
    return EmulatedProblem(problem, reference, brute, (*wrong, *subtle), tuple(crash),
                           tuple(blunders))


def _mutants(source: str, problem: Problem, box: Sandbox, verdicts: _VerdictCache,
             limit: int) -> tuple[list[Named], list[Named]]:
    """Mutants a sample check cannot tell from the reference but the judge rejects (the
    wrong programs only stress, timing or selection can catch), and, from the same mutants
    judged, up to `limit` that fail a sample (the blunders)."""
    kept: list[Named] = []
    blunders: list[Named] = []
    for tried, mutant in enumerate(ranked(all_mutants(source))):
        if len(kept) >= limit or tried >= 4 * limit:
            break
        verdict = verdicts.verdict(box, problem, mutant.source)
        named = Named(f"mutant {tried}: {mutant.kind} at line {mutant.line}", mutant.source)
        if verdict.samples and not verdict.full:
            kept.append(named)
        elif not verdict.samples and len(blunders) < limit:
            blunders.append(named)
    return kept, blunders


# -- answering ------------------------------------------------------------------------------

def _tokens(text: str) -> int:
    return max(1, (len(text) + 3) // 4)  # the usual four characters a token


def _rng(*parts: object) -> random.Random:
    digest = hashlib.sha256("\0".join(map(str, parts)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _code_reply(kind: Kind, program: Named) -> str:
    intro = ("The loop repeats work a single pass can do; here is the faster program."
             if kind == "faster" else "Here is the program.")
    return f"{intro}\n\n```python\n{program.source.rstrip()}\n```\n"


def _reflection(problem: Problem) -> dict[str, Any]:
    return {"restatement": f"Solve {problem.title or problem.id} as the statement asks.",
            "constraints": [], "complexity": "O(n log n)",
            "edge_cases": ["the smallest input", "equal values", "the largest values"],
            "approaches": [{"idea": "compute the answer in one pass over the input",
                            "complexity": "O(n)"}], "chosen": 0}


def _spec(problem: Problem) -> dict[str, Any]:
    """The problem's own spec; an empty one where it has none, which the flow takes as no
    spec (it stops asking and goes on with the samples alone)."""
    spec = problem.input_spec or {}
    return {"input": spec.get("input", [])}


@dataclass
class _Choice:
    label: Label
    program: Named | None = None


@dataclass
class _State:
    counts: Counter[tuple[str, Kind, int]] = field(default_factory=Counter)
    answers: list[Answer] = field(default_factory=list)


class ModelEmulator:
    """The server. `answers` lists every reply as meant (the trajectory of answers, in the
    order asked); `requests` keeps every request body. Answers one choice whatever `n`
    asks, as Ollama does (the generic model family never sends `n`)."""

    def __init__(self, bank: Iterable[EmulatedProblem], skill: Skill, seed: int = 0, *,
                 model: str = "emulated") -> None:
        self.bank, self.skill, self.seed, self.model = list(bank), skill, seed, model
        self.requests: list[dict[str, Any]] = []
        self._state = _State()
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None

    @property
    def answers(self) -> list[Answer]:
        with self._lock:
            return list(self._state.answers)

    # -- lifecycle ------------------------------------------------------------------------

    def __enter__(self) -> ModelEmulator:
        emulator = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                emulator._get(self)

            def do_POST(self) -> None:  # noqa: N802
                emulator._post(self)

            def log_message(self, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, args=(0.02,), daemon=True,
                         name="model-emulator").start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    @property
    def base_url(self) -> str:
        assert self._httpd is not None, "the emulator is not running"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    # -- the decision -----------------------------------------------------------------------

    def reply(self, request: dict[str, Any]) -> tuple[str, Answer]:
        """The reply's text to a chat request and what it is; ValueError for a request
        this emulator cannot place (a new prompt, a problem it does not know)."""
        messages = request.get("messages") or []
        kind = request_kind(messages)
        if kind is None:
            raise ValueError("emulator: no prompt of the flow opens this request")
        known = _which_problem(messages, self.bank)
        if known is None:
            raise ValueError("emulator: the request is about no problem it knows")
        attempt = int(request.get("seed") or 0) // SAMPLES_PER_ATTEMPT
        pid = known.problem.id
        # A structured call's repair round continues the conversation: the same answer,
        # and not a new ask.
        again = any(m.get("role") == "assistant" for m in messages)
        with self._lock:
            count = self._state.counts[(pid, kind, attempt)] - int(again)
            if not again:
                self._state.counts[(pid, kind, attempt)] += 1
        key = (self.seed, pid, kind, count, attempt)
        # Its own draw, so that a skill with no blunders draws as one written before them.
        blunder = _rng(*key, "blunder").random() < self.skill.p_blunder
        choice = self._choose(known, kind, _rng(*key), messages, blunder)
        answer = Answer(pid, kind, count, attempt, choice.label,
                        choice.program.name if choice.program else "")
        with self._lock:
            self._state.answers.append(answer)
        if choice.program is not None:
            return _code_reply(kind, choice.program), answer
        body = _reflection(known.problem) if kind == "reflect" else _spec(known.problem)
        return json.dumps(body), answer

    def _choose(self, known: EmulatedProblem, kind: Kind, rng: random.Random,
                messages: Sequence[dict[str, Any]], blunder: bool) -> _Choice:
        skill, u = self.skill, rng.random()
        if kind == "reflect":
            return _Choice("plan")
        if kind == "spec":
            return _Choice("spec")
        if kind == "solution":
            if u < skill.p_right:
                return _Choice("right", known.reference)
            if u < skill.p_right + skill.p_wrong:
                return self._wrong(known, rng, messages, blunder)
            return _Choice("crash", rng.choice(known.crash))
        if kind == "brute":
            return _Choice("right", known.brute or known.reference) if u < skill.p_brute \
                else self._wrong(known, rng, messages, blunder)
        p = skill.p_fix if kind == "repair" else skill.p_fast
        return _Choice("right", known.reference) if u < p else \
            self._wrong(known, rng, messages, blunder)

    @staticmethod
    def _wrong(known: EmulatedProblem, rng: random.Random,
               messages: Sequence[dict[str, Any]], blunder: bool) -> _Choice:
        """A wrong program (one that fails a sample if `blunder` and there is one) other
        than any the prompt shows (a repair's own code): a model that hands back what it
        was shown has not tried."""
        prompt = "\n".join(m.get("content") or "" for m in messages)
        wrong = known.blunders if blunder and known.blunders else known.wrong
        fresh = [w for w in wrong if w.source.strip() not in prompt]
        pool = fresh or list(wrong) or list(known.crash)
        chosen = rng.choice(pool)
        return _Choice("crash" if chosen in known.crash else "wrong", chosen)

    # -- HTTP -------------------------------------------------------------------------------

    def _get(self, handler: BaseHTTPRequestHandler) -> None:
        if handler.path.rstrip("/").endswith("/models"):
            self._send(handler, 200, {"object": "list", "data": [
                {"id": self.model, "object": "model", "created": 0, "owned_by": "emulator"}]})
        else:
            self._send(handler, 404, {"error": {"message": f"no route {handler.path}"}})

    def _post(self, handler: BaseHTTPRequestHandler) -> None:
        raw = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        if not handler.path.rstrip("/").endswith("/chat/completions"):
            self._send(handler, 404, {"error": {"message": f"no route {handler.path}"}})
            return
        request = json.loads(raw or b"{}")
        with self._lock:
            self.requests.append(request)
        try:
            text, _ = self.reply(request)
        except ValueError as exc:
            # Loud: a flow that asks something new must be taught to the emulator.
            self._send(handler, 400, {"error": {"message": str(exc),
                                                "type": "invalid_request_error"}})
            return
        self._send(handler, 200, self._completion(request, text))

    def _completion(self, request: dict[str, Any], text: str) -> dict[str, Any]:
        prompt = _tokens("".join(m.get("content") or "" for m in request.get("messages", [])))
        written = _tokens(text)
        return {"id": f"chatcmpl-emulated-{len(self.requests)}", "object": "chat.completion",
                "created": int(time.time()), "model": request.get("model") or self.model,
                "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                             "message": {"role": "assistant", "content": text}}],
                "usage": {"prompt_tokens": prompt, "completion_tokens": written,
                          "total_tokens": prompt + written}}

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up: nothing to tell it
