"""Reports: PDF documents (reportlab) and CSV exports."""
