"""The e-code scanner: reads the QR "电子码" of the electronic social security card.

The e-code's format is not public and the kiosk never decodes it: the raw string goes to the
platform, which answers whose it is. It is never logged, kept or printed here.
"""
