"""Member portals: their API keys and rate limits, and the webhooks that push the catalogue's
changes to them."""
