"""Readers of proposals: the filled Excel template and YAML."""
