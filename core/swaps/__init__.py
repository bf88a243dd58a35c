"""Shift swaps and give-aways: asked by message, approved by rules, else by the manager.

The services are in ``core.swaps.service``, the rules in ``core.swaps.rules``, the tables in
``core.swaps.models`` (loaded by ``core.models``, so this package imports nothing here)."""
