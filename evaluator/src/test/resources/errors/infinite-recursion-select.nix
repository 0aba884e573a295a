let x = { a = x.b; b = x.a; }; in x.a
