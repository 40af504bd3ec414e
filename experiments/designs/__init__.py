"""Shipped sweep designs (TOML), one per method; `plm sweep NAME` runs one (docs/sweeps.md)."""
