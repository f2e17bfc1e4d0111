"""Foundations every stage shares: the IR, diagnostics, safe XML, codecs, the cache store."""
