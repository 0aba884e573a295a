# Builds the `lib` that every module receives. Each part is a function of the finished lib (so
# parts may use each other lazily); its functions appear both at the top level (lib.mkIf) and
# under the part's name (lib.modules.mkIf).
parts:
let
  attrsets = parts.attrsets lib;
  lists = parts.lists lib;
  strings = parts.strings lib;
  options = parts.options lib;
  modules = parts.modules lib;
  types = parts.types lib;
  lib = attrsets // lists // strings // options // modules // {
    inherit attrsets lists strings options modules types;
  };
in
lib
