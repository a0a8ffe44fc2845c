"""Files in and out: Excel templates, imports, statistics workbooks and the Word summary. No Qt here."""
