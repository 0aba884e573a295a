builtins.readFile ./nul.bin
