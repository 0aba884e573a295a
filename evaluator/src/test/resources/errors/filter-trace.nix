builtins.filter (x: x.a) [ 1 ]
