"""Batch work on a Ray cluster: attempts and bulk judging scheduled on the nodes that can
sandbox, each node judging through one warm pool, the driver the single writer.

    with connect("local") as ray:
        execute_on_ray(ray, store, "cc-ab", problems, [client.settings], options,
                       log_path=None, parallel=16)
"""

from cpagent.agent.cluster.connect import RESOURCE, ClusterError, connect
from cpagent.agent.cluster.execute import ClusterLost, execute_on_ray

__all__ = ["RESOURCE", "ClusterError", "ClusterLost", "connect", "execute_on_ray"]
