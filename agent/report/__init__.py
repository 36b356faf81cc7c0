"""Reports of batch runs: contest results from the stored attempts, a rating estimate with
its interval, figures, markdown and HTML."""

from cpagent.agent.report.build import Report, build_report, write_report
from cpagent.agent.report.results import ProblemRow, contest_results, problem_rows

__all__ = ["ProblemRow", "Report", "build_report", "contest_results", "problem_rows",
           "write_report"]
