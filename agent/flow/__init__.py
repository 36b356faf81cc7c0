"""The solving flow: reflect, propose, write a brute force and solutions, test them against
samples, stress and maximum inputs, debug from concrete failures, select among candidates.

    from cpagent.agent.flow import solve, FlowOptions
    result = solve(problem, client, sandbox, FlowOptions(flow="full"))
"""

from cpagent.agent.flow.options import FlowOptions
from cpagent.agent.flow.profiles import PROFILES, FlowChoice, budget_warning, profile_options
from cpagent.agent.flow.solve import SolveResult, solve
from cpagent.agent.flow.trajectory import Step, Trajectory

__all__ = ["PROFILES", "FlowChoice", "FlowOptions", "SolveResult", "Step", "Trajectory",
           "budget_warning", "profile_options", "solve"]
