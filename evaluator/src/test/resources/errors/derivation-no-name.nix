derivation { }
