"""The merge stage: what the readers found for one API version -> one IR Version, laid out."""
