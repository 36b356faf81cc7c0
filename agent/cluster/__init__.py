"""Batch work on a Ray cluster: attempts and bulk judging scheduled on the nodes that can
sandbox, each node judging through one warm pool, the driver the single writer."""
