"""`kiosk audit`: every kiosk screen, in every theme, size and language, measured.

Accessibility testers are users of this product too (requirement 23): the audit renders each
screen of the flow in a representative state with demo data, saves a screenshot, and measures
what can be measured against shared/reference/accessibility.md. A screen the audit does not
know is itself a failed check, so new screens join the audit as they land.
"""
