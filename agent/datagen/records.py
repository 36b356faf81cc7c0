"""The exported files' schemas: one pydantic model per kind of line or file. Field order is
file order, and every model forbids unknown fields, so a reader can validate a file line by
line with `Model.model_validate_json`."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from cpagent.agent.llm import ChatMessage

__all__ = [
    "EXPORT_VERSION",
    "Counterexample",
    "Datasheet",
    "Drops",
    "ModelCall",
    "PreferenceRecord",
    "ProblemRow",
    "ProblemSource",
    "SftRecord",
    "SftSource",
    "StepSummary",
    "SuiteManifest",
    "SuiteSummary",
    "SuiteTest",
    "TestVerdict",
    "TrajectoryRecord",
    "Voter",
]

# Bumped whenever an exported file changes shape or content for the same run.
EXPORT_VERSION = 1

ResponseKind = Literal["reply", "code"]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProblemSource(_Record):
    """Where a problem came from and under which terms, recorded when the run was made."""

    id: str
    source: str = Field(description="the path, URL or record the problem was read from")
    origin: str = Field("", description="the contest or collection, when known")
    license: str = "unknown"
    rights_owner: str = ""


class ModelCall(_Record):
    """One model call of an attempt, rebuilt from the call log: the request's messages and
    the reply as the assistant's message."""

    step: str
    candidate: int | None
    call: int = Field(description="the call's id in the call log")
    messages: list[ChatMessage] = Field(description="request messages, then the reply")
    reasoning: str | None = Field(None, description="the model's separate thinking, if any")
    finish_reason: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    replayed: bool = Field(False, description="answered from the call log, not the model")


class TestVerdict(_Record):
    __test__ = False

    name: str
    kind: str
    verdict: str
    cpu_s: float
    memory_kb: int
    message: str = ""


class Counterexample(_Record):
    """An input on which a candidate disagreed with the brute force, after shrinking."""

    candidate: int | None
    input: str
    verdict: str
    message: str
    candidate_output: str
    reference_output: str


class StepSummary(_Record):
    name: str
    candidate: int | None
    summary: str
    seconds: float
    tokens: int
    calls: list[int]


class TrajectoryRecord(_Record):
    """One attempt at one problem, whatever its outcome: trajectories.jsonl."""

    id: str = Field(description="run/problem/attempt")
    run: str
    problem: str
    attempt: int
    state: Literal["done", "error"]
    error: str | None = None
    accepted: bool
    verdict: str = Field(description="on the problem's known tests: AC, WA, ..., 'no code'")
    passed: int
    tests: int
    lang: str
    code: str | None
    duplicate_of: str | None = Field(None, description="the id of an earlier attempt at the "
                                     "same problem, with the same outcome, whose code is "
                                     "near-identical (see DATASHEET.md for the rule)")
    test_verdicts: list[TestVerdict]
    counterexamples: list[Counterexample]
    calls: list[ModelCall] = Field(description="every model call, in the order made")
    missing_calls: list[int] = Field(default_factory=list,
                                     description="call ids the call log no longer holds")
    reasoning: str = Field("", description="the reasoning text of the calls, in order")
    reflection: dict[str, Any] | None = None
    input_spec: dict[str, Any] | None = Field(None, description="the spec the flow used")
    brute_force: str | None = Field(None, description="a brute force that passed the samples")
    steps: list[StepSummary]
    tokens: int
    n_calls: int
    seconds: float
    model: str
    settings: dict[str, Any] = Field(description="the flow's options for this attempt")
    cpagent_version: str
    started: str | None
    finished: str | None


class SftRecord(_Record):
    """sft.jsonl: the OpenAI chat fine-tuning format, which Hugging Face chat templates and
    TRL's SFTTrainer also take. Nothing but `messages`, since OpenAI refuses other keys."""

    messages: list[ChatMessage] = Field(min_length=2)


class SftSource(_Record):
    """sft.meta.jsonl, line for line beside sft.jsonl: where each example came from."""

    line: int
    id: str
    problem: str
    attempt: int
    response: ResponseKind = Field(description="reply: the model's own reply to exactly this "
                                   "prompt; code: the accepted program, fenced, because it "
                                   "came from another prompt (a debug round)")
    call: int | None


class PreferenceRecord(_Record):
    """preferences.jsonl: TRL's conversational preference format (prompt, chosen,
    rejected), with where each side came from."""

    prompt: list[ChatMessage]
    chosen: list[ChatMessage]
    rejected: list[ChatMessage]
    problem: str
    chosen_id: str
    rejected_id: str
    rejected_verdict: str
    chosen_response: ResponseKind
    rejected_response: ResponseKind


VoterKind = Literal["solution", "brute_force"]


class Voter(_Record):
    kind: VoterKind
    attempt: int
    lang: str
    sha256: str


class SuiteTest(_Record):
    __test__ = False

    name: str
    mode: str
    seed: int
    solutions: int = Field(description="accepted programs whose output was checked")
    brute_forces: int = Field(description="brute forces that finished and agreed")


class Drops(_Record):
    """Generated inputs left out of a suite, by reason."""

    generation_failed: int = 0
    duplicate_input: int = 0
    solution_failed: int = 0
    disagreement: int = 0

    def add(self, other: Drops) -> Drops:
        return Drops(**{k: getattr(self, k) + getattr(other, k) for k in Drops.model_fields})


class SuiteManifest(_Record):
    """tests/<problem>/suite.json: how the suite was made, so it can be checked or redone."""

    version: int = EXPORT_VERSION
    problem: str
    fingerprint: str = Field(description="hash of everything the suite depends on")
    spec_source: str = Field(description="'problem', or the attempt whose flow found it")
    input_spec: dict[str, Any]
    voters: list[Voter]
    generated: int
    dropped: Drops
    tests: list[SuiteTest]


class SuiteSummary(_Record):
    problem: str
    status: str = Field(description="'written', or why no suite was made")
    kept: int = 0
    voters: int = 0
    brute_forces: int = 0
    dropped: Drops = Field(default_factory=Drops)


class ProblemRow(_Record):
    problem: str
    attempts: int
    accepted: int
    duplicates: int
    preference_pairs: int


class Datasheet(_Record):
    """datasheet.json, rendered as DATASHEET.md. `status` is 'started' until every other
    file of the export is in place."""

    version: int = EXPORT_VERSION
    status: Literal["started", "complete"]
    run: str
    kind: str
    model: str
    settings: dict[str, Any]
    samples: int
    cpagent_version: str
    exporter_version: str
    source: str
    run_created: str
    before: str | None
    after: str | None
    problems_in_run: int = 0
    problems_exported: int = 0
    excluded_by_date: list[str] = Field(default_factory=list)
    excluded_undated: list[str] = Field(default_factory=list)
    attempts: int = 0
    attempts_unfinished: int = 0
    attempts_error: int = 0
    accepted: int = 0
    problems_solved: int = 0
    verdicts: dict[str, int] = Field(default_factory=dict)
    duplicates: int = 0
    dedup_rule: str = ""
    missing_calls: int = 0
    sft_records: int = 0
    preference_pairs: int = 0
    suite_size: int = 0
    problems: list[ProblemRow] = Field(default_factory=list)
    suites: list[SuiteSummary] = Field(default_factory=list)
    sources: list[ProblemSource] = Field(default_factory=list)
    tokens: int = 0
    model_calls: int = 0
