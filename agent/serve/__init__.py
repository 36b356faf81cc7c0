"""The judge as an HTTP service (`cpagent serve`): SandboxFusion-compatible `/run_code`,
`/judge` and batch judging over the warm pool, for RL trainers."""
