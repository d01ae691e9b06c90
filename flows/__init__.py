"""Prefect flows over the yusuan library: they only sequence library calls."""
