"""The reference platform service (`kiosk server`): the API of docs/platform.md on FastAPI.

Nothing here is imported by the kiosk itself but kiosk.server.embedded, which starts the
service as a child process for the demo and stays light to import.
"""
