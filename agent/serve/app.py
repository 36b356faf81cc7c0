"""The HTTP API: routes, and every error as a status with a one-line `detail`.

    POST /run_code      SandboxFusion-compatible: run one program on one stdin
    POST /judge         one program on a problem's tests -> verdicts and a reward
    POST /judge/batch   many programs on one problem
    GET  /health        the pool's size and free slots
    GET  /docs          the OpenAPI description, browsable
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPBearer
from starlette.exceptions import HTTPException

from cpagent import __version__
from cpagent.agent.serve.admission import Busy
from cpagent.agent.serve.cancel import Cancelled
from cpagent.agent.serve.gate import Gate
from cpagent.agent.serve.judging import (
    BatchRequest,
    BatchResponse,
    JudgeRequest,
    JudgeResponse,
    ProblemRef,
    ProgramIn,
    judge_programs,
    resolve_problem,
)
from cpagent.agent.serve.sandboxfusion import (
    LANGUAGES,
    RunCodeRequest,
    RunCodeResponse,
    refused,
    response_for,
)
from cpagent.agent.serve.service import Service
from cpagent.problems.errors import ProblemFormatError
from cpagent.problems.model import Limits, Problem
from cpagent.sandbox.errors import SandboxError, SandboxUnavailable
from cpagent.sandbox.model import Program

__all__ = ["create_app"]

# Declares the token in the OpenAPI description (the docs' Authorize button); the Gate
# checks it, before the body is read.
_bearer = HTTPBearer(auto_error=False, description="required when the server has a token")


def create_app(service: Service) -> FastAPI:
    config = service.config

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        service.close()

    app = FastAPI(title="cpagent judge", version=__version__, lifespan=lifespan,
                  description="The cpagent judge over HTTP: SandboxFusion-compatible "
                  "/run_code, /judge with verdicts and rewards, batch judging.")
    app.add_middleware(Gate, token=config.token, max_body_bytes=config.max_body_bytes)
    _errors(app)
    guarded = [Depends(_bearer)]

    def check_code(code: str) -> None:
        size = len(code.encode("utf-8", "replace"))
        if size > config.max_code_bytes:
            raise HTTPException(413, f"the code is {size} bytes; the limit is "
                                f"{config.max_code_bytes}")

    def check_work(problem: Problem, programs: int) -> float:
        runs = len(problem.tests) * programs
        if runs > config.max_tests:
            raise HTTPException(413, f"{runs} test runs (programs x tests); the limit is "
                                f"{config.max_tests}")
        budget = runs * problem.limits.time_s
        if budget > config.max_run_s:
            raise HTTPException(413, f"{runs} test runs at {problem.limits.time_s:g}s each "
                                f"may take {budget:g}s; the limit is {config.max_run_s:g}s")
        check_memory(problem.limits)
        return budget

    def check_memory(limits: Limits) -> None:
        if limits.memory_mb > config.max_memory_mb:
            raise HTTPException(422, f"memory limit {limits.memory_mb} MB is above the "
                                f"server's {config.max_memory_mb} MB")

    @app.get("/health", summary="the pool's size and free slots")
    async def health() -> dict:
        return service.health()

    @app.post("/run_code", response_model=RunCodeResponse, dependencies=guarded,
              summary="run one program on one stdin (SandboxFusion-compatible)")
    async def run_code(body: RunCodeRequest, request: Request) -> RunCodeResponse:
        lang = LANGUAGES.get(body.language)
        if lang is None or lang not in service.box.languages:
            return refused(f"language {body.language!r} is not run here: cpagent runs "
                           "python and pypy")
        if body.files or body.fetch_files:
            return refused("files and fetch_files are not supported: send the input on stdin")
        check_code(body.code)
        memory = body.memory_limit_MB if body.memory_limit_MB > 0 else config.default_memory_mb
        limits = Limits(time_s=body.run_timeout, memory_mb=memory)
        check_memory(limits)
        if body.run_timeout > config.max_run_s:
            raise HTTPException(413, f"run_timeout {body.run_timeout:g}s is above the "
                                f"server's {config.max_run_s:g}s")
        program = Program(source=body.code, lang=lang)
        return response_for(await service.runs.run(request, program, body.stdin or "", limits))

    async def judged(request: Request, ref: ProblemRef,
                     programs: list[ProgramIn]) -> list[JudgeResponse]:
        for p in programs:
            check_code(p.code)
        problem = resolve_problem(ref, config.problems)
        budget = check_work(problem, len(programs))
        return await service.call(
            request, lambda box: judge_programs(box, programs, problem, ref.reward), budget)

    @app.post("/judge", response_model=JudgeResponse, dependencies=guarded,
              summary="judge one program on a problem: verdict per test, overall, reward")
    async def judge_one(body: JudgeRequest, request: Request) -> JudgeResponse:
        program = ProgramIn(code=body.code, language=body.language)
        [result] = await judged(request, body, [program])
        return result

    @app.post("/judge/batch", response_model=BatchResponse, dependencies=guarded,
              summary="judge many programs on one problem, in one request")
    async def judge_batch(body: BatchRequest, request: Request) -> BatchResponse:
        return BatchResponse(results=await judged(request, body, body.programs))

    return app


def _one_line(text: str) -> str:
    lines = [line.strip() for line in str(text).strip().splitlines() if line.strip()]
    return (lines[0] if lines else "error")[:500]


def _errors(app: FastAPI) -> None:
    """Every failure as `{"detail": "<one line>"}`: bad input 4xx, a busy pool 429, a
    sandbox that cannot run 503; never a traceback."""

    def reply(status: int, detail: str, headers: dict | None = None) -> JSONResponse:
        return JSONResponse({"detail": _one_line(detail)}, status_code=status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        first = exc.errors()[0] if exc.errors() else {}
        if first.get("type") == "json_invalid":
            error = (first.get("ctx") or {}).get("error", "")
            return reply(422, f"the body is not valid JSON: {error}".rstrip(": "))
        where = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        message = first.get("msg", "invalid request")
        return reply(422, f"{where}: {message}" if where else message)

    @app.exception_handler(HTTPException)
    async def http_error(_: Request, exc: HTTPException) -> JSONResponse:
        return reply(exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(Busy)
    async def busy(_: Request, exc: Busy) -> JSONResponse:
        return reply(429, str(exc), {"Retry-After": str(exc.retry_after)})

    @app.exception_handler(Cancelled)
    async def cancelled(_: Request, exc: Cancelled) -> JSONResponse:
        return reply(422, f"stopped: {exc}")

    @app.exception_handler(SandboxUnavailable)
    async def unavailable(_: Request, exc: SandboxUnavailable) -> JSONResponse:
        return reply(503, f"the sandbox cannot run: {exc}")

    for bad_input in (ValueError, ProblemFormatError, SandboxError):
        @app.exception_handler(bad_input)
        async def rejected(_: Request, exc: Exception) -> JSONResponse:
            return reply(422, str(exc) or type(exc).__name__)

    @app.exception_handler(Exception)
    async def internal(_: Request, exc: Exception) -> JSONResponse:
        return reply(500, f"internal error: {type(exc).__name__}: {exc}")
