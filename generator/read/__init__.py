"""The read stage: spec files (pages, WSDL, XSD, ServiceStack metadata) -> IR, with the input policy and the read cache."""
