"""工作简报: a formal bulletin for a period, as printable HTML and .docx."""
