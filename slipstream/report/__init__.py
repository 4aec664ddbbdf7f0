"""`slipstream report`: one self-contained HTML page of charts about the whole federation.

`model` is what the report shows, as plain data; `collect` gathers it from the running services
over gRPC; `render` draws it as inline SVG in a single HTML file that needs nothing else, offline.
"""
