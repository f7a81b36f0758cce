"""The reference platform service (`kiosk server`): the API of docs/platform.md on FastAPI.

Nothing here is imported by the kiosk itself but kiosk.server.embedded and kiosk.server.launch,
which start the service as a child process for the demo and stay light to import.
"""
