"""Venues behind one interface: the built-in paper exchange, and any exchange through ccxt."""
