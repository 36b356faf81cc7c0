"""`python -m cpagent.agent.serve`: the same command as `cpagent serve`."""

import typer

from cpagent.agent.cli_serve import serve_command

typer.run(serve_command)
