"""Exchange with DHIS2: the metadata package generated from the catalogue and the centres, and
the coordinator's approved figures as ADX or as a DHIS2 ``dataValueSets`` document
(docs/dhis2.md). Plain functions on plain data; nothing here reads the store."""
