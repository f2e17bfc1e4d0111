"""soapgen's Jinja2 templates and the runtime copied into every generated package.

Package data, read with :mod:`importlib.resources`; a project's ``templates`` folder
([tool.soapgen] templates) shadows them file by file.
"""
