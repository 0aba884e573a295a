let a = { b.cee = 1; b.dee = 2; }; in a.b.de
