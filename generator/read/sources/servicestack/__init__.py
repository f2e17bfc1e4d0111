"""Reader for ServiceStack APIs (Coruson): operation metadata pages (HTML), their copied text, and
``/types/metadata.json``, read into one model and then into one IR Service per API version.

The structure relied on is described in ``shared/corpus/servicestack/FORMAT.md``:

* an HTML page (``/{format}/metadata?op=X``): ``h1`` service name, ``h2`` operation, optional
  ``div.tags``, ``h3#desc``, ``table.authentication``, ``table.routes``, one ``table.params``
  (``<b>T</b> Parameters:``) or ``table.enum`` (``<b>E</b> Enum:``) per DTO, ``div.call-info``
  and ``div.example`` with the request and response samples in ``pre``. Read with lxml.html,
  which copes with the known markup faults (stray ``<tbody>``, ``<tr>`` under ``<table>``,
  ``<h3 id='desc'>..</div>``);
* the same page copied out of a browser: one line per block, table cells run together
  (``ImportIdpathGuidYesThe Id of ...``), tab-separated or space-aligned. Rows are split with
  the column vocabulary (path/query/body/form/header, Yes/No) and the CLR type grammar of
  :mod:`..clr_types`; a reading that stays ambiguous is a warning naming the line (unless a
  metadata.json of the same version settles it);
* ``metadata.json`` (the ``MetadataTypes`` model), PascalCase or camelCase keys.

Each file becomes a :class:`Source` (operations and DTOs it describes, with file and line);
the sources of one version merge into an :class:`ApiModel`: metadata.json is authoritative,
HTML and then text add descriptions and samples, and disagreements are warnings naming both
files and lines. The model keeps what the IR has no place for (routes, verbs, parameter kinds,
required flags, tags, authentication, JSON samples) for the JSON transport.

:func:`to_service` maps the model to the IR the WSDL reader would produce for ServiceStack's
``/soap12`` endpoint: document/literal wrapped operations (input element ``{ns}Op`` of the
request DTO type, output element the response DTO), ``soap_action`` = operation name, DTO
fields with DataContract shapes (min_occurs 0; nillable for reference types and ``T?``), WCF
arrays and dictionaries, and the SOAP 1.2 samples of the pages attached to the operations.
Readers never raise on bad input; they return diagnostics beside what they could read.

The package, lower modules first (each imports only modules listed before it):

* :mod:`.model`: the model above, the diagnostic codes (:data:`CODES`), ServiceStack's
  built-in DTOs and the vocabulary the readers share;
* :mod:`.detect`: which files are ServiceStack's, and their grouping by API version;
* :mod:`.metadata_json`: metadata.json (with a JSON parser that keeps line numbers);
* :mod:`.page`: the common shape of HTML and copied text, and the HTTP samples they show;
* :mod:`.html` and :mod:`.text`: HTML pages and copied text read into that shape;
* :mod:`.page_source`: a page -> a :class:`Source`;
* :mod:`.merge`: the sources of one version -> an :class:`ApiModel`;
* :mod:`.to_ir`: an :class:`ApiModel` -> an IR Service;
* :mod:`.read`: the entry points (a file, the files of one version).
"""

from __future__ import annotations

from .detect import group_files, is_servicestack, is_servicestack_data
from .merge import merge_sources
from .metadata_json import JList, JObj
from .model import (
    BUILTIN_NAMES,
    CODES,
    ENDPOINT,
    NS,
    ApiModel,
    Block,
    Dto,
    EnumMember,
    Op,
    Prop,
    Route,
    Samples,
    Source,
    _Out,
)
from .page import Page, Row, Table
from .read import read_api, read_data, read_file, read_servicestack, read_text
from .to_ir import service_name, to_service

__all__ = [
    "BUILTIN_NAMES",
    "CODES",
    "ENDPOINT",
    "NS",
    "ApiModel",
    "Block",
    "Dto",
    "EnumMember",
    "JList",
    "JObj",
    "Op",
    "Page",
    "Prop",
    "Route",
    "Row",
    "Samples",
    "Source",
    "Table",
    "_Out",
    "group_files",
    "is_servicestack",
    "is_servicestack_data",
    "merge_sources",
    "read_api",
    "read_data",
    "read_file",
    "read_servicestack",
    "read_text",
    "service_name",
    "to_service",
]
