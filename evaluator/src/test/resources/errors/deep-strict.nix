{ a = { b = throw "strict"; }; }
