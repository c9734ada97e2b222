"""Pages from the scanner to the PDF: the scan job, encoding, previews, the PDF itself."""
