"""Configuration: the project's [tool.soapgen] table, API profiles, Python names, soapgen's identity."""
