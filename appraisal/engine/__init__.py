"""The engine: fixed arrays of an appraisal (model), one run (run), and its accounts (accounts)."""
