"""`kiosk doctor`: the installation-day check of a kiosk's machine.

Each check looks at one thing the kiosk needs in a service hall, through the same software the
kiosk uses (PC/SC for the reader and card, DLE EOT for the receipt printer, pyserial for the
scanner, the sound system, the platform's own TLS endpoint), and says `ok`, `warning`, `fault`
or `absent` (not configured) with one line of detail. Nothing here reads a resident's data: the
card check stops at the ATR and the SELECT of the social security application.
"""
