"""What a call cost, from pydantic's genai-prices (a maintained table with each provider's
cached-input and reasoning rules) unless the settings name a price of their own."""

from __future__ import annotations

from genai_prices import Usage as PriceUsage
from genai_prices import calc_price

from .messages import Usage
from .settings import ModelSettings

__all__ = ["call_cost"]


def call_cost(settings: ModelSettings, usage: Usage) -> float | None:
    """USD for one call, or None when nothing knows the model's price. A price in the
    settings (config or registry) wins; else genai-prices, matched on the model name and
    the family's provider. Reasoning tokens are billed as output tokens by every provider
    that reports them, and are already inside completion_tokens."""
    if settings.price_in_per_mtok is not None or settings.price_out_per_mtok is not None:
        return (usage.prompt_tokens * (settings.price_in_per_mtok or 0.0)
                + usage.completion_tokens * (settings.price_out_per_mtok or 0.0)) / 1e6
    if settings.embedded:
        return 0.0  # our own model on this machine
    priced = PriceUsage(input_tokens=usage.prompt_tokens, cache_read_tokens=usage.cached_tokens,
                        output_tokens=usage.completion_tokens)
    try:
        price = calc_price(priced, settings.model, provider_id=settings.rules.provider)
    except LookupError:
        return None
    return float(price.total_price)

