"""`python -m cpagent`: the command line."""

from cpagent.agent.cli import main

main()
