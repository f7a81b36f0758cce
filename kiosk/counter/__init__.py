"""Counter mode: a staff console beside a customer-facing window.

The member of staff signs in, chooses what the resident came for (a purpose), and asks the
resident's consent; the resident, signed in on the customer window by card and PIN, sees in large
print and hears who asks to see what and why, and allows or refuses (Art. 13). Only then does the
staff console show the purpose's fields, and the platform logs the look-up (Art. 18).

purposes, flow and consent are plain Python with no Qt (import-linter checks it); app is the
composition that `kiosk run --counter` starts.
"""
