"""The Qt faces of the flows: the kiosk window, its screens and widgets, the dev panel.

The UI renders flow state and forwards the resident's presses; it never talks to a device.
"""
