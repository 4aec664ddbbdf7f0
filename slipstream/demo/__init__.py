"""`slipstream demo`: the federation and example pods as real processes, steered live."""
