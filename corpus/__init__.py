"""Documents in: loading files of each format, their metadata, and the Massachusetts towns registry."""
