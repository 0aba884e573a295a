builtins.readFile /nonexistent/file
