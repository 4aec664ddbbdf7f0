"""The execution gateway: one safe, rate-limited, durable door from pods to the exchanges."""
