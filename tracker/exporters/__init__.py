"""Files written from the archive: proposal lists as XLSX and CSV (Korean headers, formula-safe),
read back by the importers to the same records. Beside the importers, below the services."""
