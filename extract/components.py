"""paperkg's own spaCy pipeline components, registered on import."""
