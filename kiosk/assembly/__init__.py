"""The composition root: one builder that assembles a kiosk, or a counter, from its config.

`kiosk`, `kiosk demo` and `kiosk run` (either with --counter) all start here, and a counter is
an option of the same start, not a second one. Whether each device is real or simulated is
decided here and nowhere else (the VxSuite rule).

The start has two phases, so that a resident sees the attract screen as soon as Qt can paint
it (the `startup` benchmark holds it to the bare Qt window's time):

- first_frame: the Qt application, the translations and the font check, the session flow and
  its window (a counter's customer window is the same window), shown. It and the modules it
  imports load only what that screen needs.
- after_frame, loaded once that window has painted: the platform, the card reader, the
  printers, the voice, the headset and scanner, the heartbeat and service menu, the service
  manager's notices, the dev panel of a demo, and a counter's staff console.
"""
