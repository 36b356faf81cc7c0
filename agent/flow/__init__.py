"""The solving flow: reflect, propose, write a brute force and solutions, test them against
samples, stress and maximum inputs, debug from concrete failures, select among candidates.

    from agent.flow import solve, FlowOptions
    result = solve(problem, client, sandbox, FlowOptions(flow="full"))
"""

from agent.flow.options import FlowOptions
from agent.flow.solve import SolveResult, solve
from agent.flow.trajectory import Step, Trajectory

__all__ = ["FlowOptions", "SolveResult", "Step", "Trajectory", "solve"]
