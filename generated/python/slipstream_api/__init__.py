"""Generated from proto/slipstream/v1 by scripts/generate_stubs.py; do not edit."""
