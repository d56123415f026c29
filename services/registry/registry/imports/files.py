"""The file layer of the imports and exports is shared with metrics: ``louyu_kit.files``; re-exported here."""

from louyu_kit.files import (
    EXCEL_MAX_ROWS,
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    FileTooLarge,
    Format,
    Table,
    content_disposition,
    download_name,
    download_responses,
    media_type,
    neutralise,
    read_table,
    write_table,
)

__all__ = [
    "EXCEL_MAX_ROWS",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "MAX_UPLOAD_BYTES",
    "FileTooLarge",
    "Format",
    "Table",
    "content_disposition",
    "download_name",
    "download_responses",
    "media_type",
    "neutralise",
    "read_table",
    "write_table",
]
