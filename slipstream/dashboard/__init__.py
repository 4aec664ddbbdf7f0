"""The live terminal dashboard: the whole federation on one screen."""
