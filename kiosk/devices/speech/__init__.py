"""Speech (Art. 10): engines that turn text into audio, players that sound it, a prompt cache.

What the rest of the kiosk may know is in .interface; the voice guide that decides what to say
and when is kiosk.accessibility.voice. Which engine and player a kiosk uses is decided once, in
.factory. Spoken text is personal data whenever a message carries any: modules here log message
ids, lengths and durations, never text.
"""
