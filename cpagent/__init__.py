"""cpagent: a competitive-programming agent and toolkit.

The repository's folders install under this one name: `agent/` as `cpagent.agent` (the
model, the flow, the command line), `sandbox/` as `cpagent.sandbox` (where code meets
tests) and `problems/` as `cpagent.problems` (what a problem is).
"""

__version__ = "0.1.0"
