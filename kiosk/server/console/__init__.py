"""The staff console at /console/: server-rendered pages for the city's side of the service.

Departments answer the complaints routed to them (Art. 16), staff see residents' calls for
help (Art. 10), operators run the fleet, the catalog and its notices (Art. 15) and the staff
accounts, auditors read and verify the audit log (Art. 18). Same process and port as the API;
plain HTML forms, a little plain JavaScript where a list must stay live.
"""

# The package imports nothing: `kiosk staff` and `kiosk kiosk` load only the account and fleet
# rules they share with the pages (kiosk.server.console.administration), not the web stack;
# the server mounts the pages from kiosk.server.console.mount.
