"""The resident's tasks as explicit state machines over domain values.

A flow is plain Python: it receives events (card inserted, PIN entered, platform answered),
changes state, and tells its listeners. The touch screen, the voice-and-keypad mode and the
counter console render the same flow, so they cannot drift apart. No Qt here.
"""
