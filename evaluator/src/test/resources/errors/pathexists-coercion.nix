builtins.pathExists 1
