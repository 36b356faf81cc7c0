"""Errors of the sandbox itself. A program that fails is never an error: it is an Execution.

SandboxError
 └── SandboxUnavailable   no engine, no image, or a backend that cannot start
"""


class SandboxError(RuntimeError):
    """The sandbox could not do its job. The message is one line."""


class SandboxUnavailable(SandboxError):
    pass
