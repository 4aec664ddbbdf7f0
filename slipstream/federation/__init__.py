"""The federation: registry of pods, status polling and the control levers (halt, resume, configure)."""
