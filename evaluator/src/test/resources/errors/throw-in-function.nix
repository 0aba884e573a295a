let f = x: throw "in f ${x}"; in f "a"
