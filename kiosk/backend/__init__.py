"""The kiosk's side of the platform: the HTTP client, its offline catalog cache and the outbox.

Nothing here imports Qt, FastAPI, SQLAlchemy or pydantic: the kiosk imports this at start-up.
"""
