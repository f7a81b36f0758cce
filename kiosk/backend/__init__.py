"""The kiosk's side of the platform: the client (its HTTP in transport, the answers read by
parse), its offline catalog cache, the outbox, and the connection that finds the platform.

Nothing here imports Qt, FastAPI, SQLAlchemy or pydantic: the kiosk imports this at start-up.
"""
