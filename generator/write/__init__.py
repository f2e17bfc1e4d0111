"""The write stage: a generated tree published atomically, with its manifest."""
