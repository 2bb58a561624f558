"""Date formats Django's own locale files leave out (FORMAT_MODULE_PATH)."""
