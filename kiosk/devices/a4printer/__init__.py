"""The hall's A4 printer: a CUPS queue through Qt's print support, or PDF files in a folder."""
