"""The format stage: rendered modules -> black-formatted modules, cut, cached and in parallel."""
