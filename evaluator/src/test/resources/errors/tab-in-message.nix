throw "tab\there"
