"""The five seed pages: the embedded default input of ``paperkg build``."""
