"""Jupyter integration: the story player widget and the %%ipyreport magics."""
