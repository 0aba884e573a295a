# lib.types: option types. A type is { _type = "type"; name; description; check; merge; ... }:
# `check value` accepts one definition's value, `merge loc defs` combines the definitions that
# won (see lib.modules), `typeMerge other` combines two declarations of one option (null: not
# possible), `getSubOptions loc` lists the options inside (submodules, for documentation).
lib:
let
  inherit (builtins) all attrNames concatLists concatMap concatStringsSep elem filter foldl' head
    isAttrs isBool isFloat isFunction isInt isList isPath isString length mapAttrs match tail
    toJSON zipAttrsWith;
  inherit (lib) showAttrPath showValue describeValue;

  conflict = loc: defs:
    throw ("The option `${showAttrPath loc}' has conflicting definitions:"
      + lib.concatMapStrings (d: "\n  - ${showValue d.value} in ${d.where}") defs
      + "\nKeep one of them, or give one a priority with lib.mkForce or lib.mkDefault.");

  # Every definition must be equal (the common case for scalars).
  mergeEqual = loc: defs:
    let first = (head defs).value; in
    if length defs == 1 || all (d: d.value == first) (tail defs) then first else conflict loc defs;

  mergeOne = loc: defs:
    if length defs == 1 then (head defs).value
    else throw ("The option `${showAttrPath loc}' may be defined only once, but is defined in "
      + lib.showPlaces defs + ".");

  mkType = args:
    let
      self = {
        _type = "type";
        check = _: true;
        merge = mergeEqual;
        getSubOptions = null;
        typeMerge = other: if other.name == self.name && other.description == self.description then self else null;
      } // args;
    in
    self;
in
rec {
  inherit mkType mergeEqual mergeOne;

  isType = v: isAttrs v && (v._type or null) == "type";

  # ---- Scalars ---------------------------------------------------------------------------------

  anything = mkType {
    name = "anything";
    description = "anything";
    merge = loc: defs:
      let values = map (d: d.value) defs; in
      if length defs > 1 && all (v: isAttrs v && !(lib.isDerivation v) && !(v ? _type)) values
      then (attrsOf anything).merge loc defs
      else mergeEqual loc defs;
  };
  unspecified = anything;

  # Exactly one definition, never looked into.
  raw = mkType { name = "raw"; description = "raw value"; merge = mergeOne; };

  str = mkType { name = "str"; description = "string"; check = isString; };
  nonEmptyStr = mkType { name = "nonEmptyStr"; description = "non-empty string"; check = s: isString s && s != ""; };
  strMatching = regex: mkType {
    name = "strMatching";
    description = "string matching the regular expression ${toJSON regex}";
    check = s: isString s && match regex s != null;
  };

  # Strings joined by `sep`, in order (mkBefore / mkAfter).
  separatedString = sep: separatedString' "separatedString" sep;
  separatedString' = name: sep: mkType {
    inherit name;
    description = if sep == "\n" then "lines of text" else "strings joined by ${toJSON sep}";
    check = isString;
    merge = loc: defs: concatStringsSep sep (map (d: d.value) defs);
  };
  lines = separatedString' "lines" "\n";
  commas = separatedString ",";

  int = mkType { name = "int"; description = "integer"; check = isInt; };
  ints = {
    between = lo: hi: mkType {
      name = "intBetween";
      description = "integer between ${toString lo} and ${toString hi} (both included)";
      check = x: isInt x && x >= lo && x <= hi;
    };
    unsigned = mkType { name = "unsigned"; description = "non-negative integer"; check = x: isInt x && x >= 0; };
    positive = mkType { name = "positive"; description = "positive integer"; check = x: isInt x && x > 0; };
  };
  port = mkType { name = "port"; description = "port number (1..65535)"; check = x: isInt x && x >= 1 && x <= 65535; };
  float = mkType { name = "float"; description = "floating point number"; check = isFloat; };
  number = mkType { name = "number"; description = "number"; check = x: isInt x || isFloat x; };
  bool = mkType { name = "bool"; description = "Boolean"; check = isBool; };

  # A file or directory: a path value, or an absolute path as a string.
  path = mkType {
    name = "path";
    description = "path";
    check = x: isPath x || (isString x && lib.hasPrefix "/" x);
  };

  # Something for the store: a derivation, a path (copied to the store when merged), or a
  # store path string.
  package = mkType {
    name = "package";
    description = "package (a derivation, a path or a store path)";
    check = x: lib.isDerivation x || isPath x || (isString x && lib.hasPrefix "/" x);
    merge = loc: defs:
      let v = mergeEqual loc defs; in
      if isPath v then "${v}" else v;
  };

  enum = values: mkType {
    name = "enum";
    description = if values == [ ] then "impossible (empty enum)" else "one of ${concatStringsSep ", " (map showValue values)}";
    check = x: elem x values;
    inherit values;
    typeMerge = other: if other.name == "enum" then enum (lib.unique (values ++ other.values)) else null;
  };

  # Plain attribute sets, merged shallowly (later definitions win per attribute).
  attrs = mkType {
    name = "attrs";
    description = "attribute set";
    check = isAttrs;
    merge = loc: defs: foldl' (acc: d: acc // d.value) { } defs;
  };

  # ---- Compound types --------------------------------------------------------------------------

  nullOr = t: mkType {
    name = "nullOr";
    description = "null or ${t.description}";
    check = x: x == null || t.check x;
    elemType = t;
    merge = loc: defs:
      let nulls = filter (d: d.value == null) defs; in
      if length nulls == length defs then null
      else if nulls != [ ] then conflict loc defs
      else t.merge loc defs;
    getSubOptions = t.getSubOptions;
    typeMerge = other: if other.name == "nullOr" then wrapMerge nullOr t other.elemType else null;
  };

  listOf = t: mkType {
    name = "listOf";
    description = "list of ${t.description}";
    check = isList;
    elemType = t;
    merge = loc: defs:
      map (r: r.value) (filter (r: r.defined) (concatLists (lib.imap1 (i: d:
        lib.imap1 (j: x: lib.mergeDefinitions' (loc ++ [ "[${toString j}]" ]) { type = t; } [ (d // { value = x; }) ]) d.value)
        defs)));
    getSubOptions = loc: if t.getSubOptions == null then { } else t.getSubOptions (loc ++ [ "*" ]);
    typeMerge = other: if other.name == "listOf" then wrapMerge listOf t other.elemType else null;
  };

  nonEmptyListOf = t: listOf t // {
    name = "nonEmptyListOf";
    description = "non-empty list of ${t.description}";
    check = x: isList x && x != [ ];
  };

  attrsOf = t: mkType {
    name = "attrsOf";
    description = "attribute set of ${t.description}";
    check = isAttrs;
    elemType = t;
    merge = loc: defs:
      let
        byName = zipAttrsWith (n: ds: ds) (map (d: mapAttrs (n: _: lib.childDef d n) d.value) defs);
        merged = mapAttrs (n: ds: lib.mergeDefinitions' (loc ++ [ n ]) { type = t; } ds) byName;
      in
      mapAttrs (n: r: r.value) (lib.filterAttrs (n: r: r.defined) merged);
    getSubOptions = loc: if t.getSubOptions == null then { } else t.getSubOptions (loc ++ [ "<name>" ]);
    typeMerge = other: if other.name == "attrsOf" then wrapMerge attrsOf t other.elemType else null;
  };
  # Like attrsOf, but an attribute's value is merged only when used, so attributes may be defined
  # from each other; an attribute whose definitions are all under false mkIfs fails when used.
  lazyAttrsOf = t: attrsOf t // {
    name = "lazyAttrsOf";
    description = "lazy attribute set of ${t.description}";
    merge = loc: defs:
      mapAttrs (n: ds: lib.mergeDefinitions (loc ++ [ n ]) { type = t; } ds)
        (zipAttrsWith (n: ds: ds) (map (d: mapAttrs (n: _: lib.childDef d n) d.value) defs));
  };

  # Only one definition allowed.
  uniq = t: t // { name = "uniq"; merge = mergeOne; };

  either = a: b: mkType {
    name = "either";
    description = "${a.description} or ${b.description}";
    check = x: a.check x || b.check x;
    merge = loc: defs:
      if all (d: a.check d.value) defs then a.merge loc defs
      else if all (d: b.check d.value) defs then b.merge loc defs
      else conflict loc defs;
  };
  oneOf = ts: foldl' either (head ts) (tail ts);

  # Values of type `from` are converted by `f` to type `to`.
  coercedTo = from: f: to: mkType {
    name = "coercedTo";
    description = "${to.description}, or ${from.description} (converted)";
    check = x: to.check x || from.check x;
    merge = loc: defs: to.merge loc (map (d: if !(to.check d.value) then d // { value = f d.value; } else d) defs);
    getSubOptions = to.getSubOptions;
  };

  # A set of options of its own: each definition is a module (usually a set of definitions).
  # Inside, modules get `name` (the attribute name under attrsOf, else the option's name).
  submoduleWith = { modules, specialArgs ? { } }: mkType {
    name = "submodule";
    description = "submodule";
    check = x: isAttrs x || isFunction x || isPath x;
    subModules = modules;
    inherit specialArgs;
    merge = loc: defs:
      (lib.evalModules {
        modules = modules ++ map (d: { _file = d.file; imports = [ d.value ]; }) defs;
        specialArgs = { name = lib.last loc; } // specialArgs;
        prefix = loc;
        root = (head defs).root;
      }).config;
    getSubOptions = loc:
      (lib.evalModules { inherit modules; specialArgs = { name = "<name>"; } // specialArgs; prefix = loc; }).options;
    typeMerge = other:
      if other.name == "submodule"
      then submoduleWith { modules = modules ++ other.subModules; specialArgs = specialArgs // other.specialArgs; }
      else null;
  };
  submodule = m: submoduleWith { modules = lib.toList m; };

  wrapMerge = wrap: a: b: let m = a.typeMerge b; in if m == null then null else wrap m;
}
