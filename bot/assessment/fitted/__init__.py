"""Fitted scoring models shipped with the package (data files only)."""
