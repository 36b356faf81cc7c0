"""Where code meets tests: sandboxes that run programs under limits, checkers, the judge."""
