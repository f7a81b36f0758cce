"""The receipt printer: receipts as ESC/POS (GB18030 text, QR, cut) over tcp, usb, serial or a
file, and a simulated printer that renders what it prints as a PNG.

The rest of the kiosk uses kiosk.devices.printer.interface and the factory; see docs/printer.md.
"""

import logging

# Without a configured handler Python prints warnings to stderr: the command line's one-line
# errors must stay one line. The kiosk's own logging configuration still receives these.
logging.getLogger(__name__).addHandler(logging.NullHandler())
