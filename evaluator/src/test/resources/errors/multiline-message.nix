throw "multi\nline\n\nmessage"
