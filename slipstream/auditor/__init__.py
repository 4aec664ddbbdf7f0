"""The independent risk auditor: reconstruct true exposure, compare the views, raise the alarm."""
