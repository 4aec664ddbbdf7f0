"""Default listen addresses of every Slipstream service: the one place to find (or change) the ports.

Servers listen here unless configured otherwise, and the CLI dials here unless told otherwise. This module
imports nothing so the CLI can read the defaults without loading any server.
"""

FEDERATION = "127.0.0.1:50051"
DATALAKE = "127.0.0.1:50052"
GATEWAY = "127.0.0.1:50053"
AUDITOR = "127.0.0.1:50054"
OPTIMIZER = "127.0.0.1:50055"
ANALYTICS = "127.0.0.1:50056"
ORCHESTRATOR = "127.0.0.1:50057"
