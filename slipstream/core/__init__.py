"""Domain types shared by every service: no gRPC, no I/O."""
