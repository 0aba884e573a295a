builtins.fromJSON "{x"
