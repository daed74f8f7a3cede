"""Portfolio PDFs: ReportLab platypus documents and charts built from plain data objects.

This package imports the domain only; the services gather the data it renders.
"""
