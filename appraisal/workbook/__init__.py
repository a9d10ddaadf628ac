"""Excel in and out: the proposal template and the business-case report workbook."""
