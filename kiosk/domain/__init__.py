"""Plain values the kiosk works with: cards, holders, catalog items, sessions.

Nothing here imports Qt, a device or the network, so every layer can share it.
"""
