"""Analysis of the engine's runs: Monte Carlo over the evidence, one-way sensitivity, and confidence."""
