"""soapgen: a build-time generator from SOAP documentation and WSDL to typed Python clients."""

__version__ = "0.1.0"
