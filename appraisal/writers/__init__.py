"""Writers of results and templates: terminal text, the report workbook, CSV and JSON tables, the Excel template."""
