"""Outputs: stories as self-contained HTML (and, later, PDF and video)."""
