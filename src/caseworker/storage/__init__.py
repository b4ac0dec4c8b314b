"""Storage: the SQLCipher store, its key slots, schema migrations and repositories."""
