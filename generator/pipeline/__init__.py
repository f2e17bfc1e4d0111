"""The whole run: read -> merge -> plan -> render -> format, reuse of unchanged versions, publishing."""
