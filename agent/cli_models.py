"""`cpagent models`: the model families cpagent knows, what each accepts, what it costs."""

from __future__ import annotations

import typer
from genai_prices import Usage as PriceUsage
from genai_prices import calc_price
from rich.console import Console
from rich.table import Table

from cpagent.agent.llm import FAMILIES, GENERIC, ModelFamily, list_entries

# One example name per family, priced as genai-prices prices it today.
EXAMPLES = {"openai-gpt-5": "gpt-5", "openai-reasoning": "o4-mini", "openai-chat": "gpt-4o-mini",
            "deepseek-reasoner": "deepseek-reasoner", "deepseek-chat": "deepseek-chat",
            "qwen-thinking": "qwen3-32b", "generic": "local"}
HOW_TO_ADD = ("Add a model in the config file (~/.config/cpagent/config.toml): "
              "\\[models.NAME] with "
              "model, base_url, api_key_env, and family = one of the names above when its "
              "name does not say; price_in_per_mtok / price_out_per_mtok override the price.")


def _price(family: ModelFamily, model: str) -> str:
    try:
        price = calc_price(PriceUsage(input_tokens=1_000_000, output_tokens=1_000_000), model,
                           provider_id=family.provider)
    except LookupError:
        return "unknown" if family.name != "generic" else "free (local)"
    return f"{float(price.input_price):g}, {float(price.output_price):g}"


def models_command() -> None:
    """List the model families: matching names, rules, budget, profile and price."""
    table = Table(title="model families (the first whose names match wins)")
    for column in ("family", "e.g.", "rules", "budget", "profile", "USD/1M in, out"):
        table.add_column(column)
    for family in (*FAMILIES, GENERIC):
        example = EXAMPLES.get(family.name, "")
        rules = ["reasoning" if family.reasoning else "chat", family.token_param]
        rules += [] if family.temperature else ["no temperature"]
        rules += [f"effort {'/'.join(family.efforts)}"] if family.efforts else []
        table.add_row(family.name, example, ", ".join(rules), str(family.budget),
                      family.profile, _price(family, example))
    console = Console()
    console.print(table)
    console.print("aliases: " + ", ".join(sorted(list_entries())))
    console.print(HOW_TO_ADD)
    raise typer.Exit(0)
