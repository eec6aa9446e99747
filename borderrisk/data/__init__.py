"""Input data, before any map: record types and validation, readers of files and real export
formats, atomic files and error types. Imports geo only; knows nothing of maps."""
