# lib.strings: functions on strings, and showing values in messages.
lib:
let
  inherit (builtins) attrNames concatStringsSep elemAt filter genList isAttrs isBool isFloat
    isFunction isInt isList isPath isString length replaceStrings stringLength substring toJSON;
in
rec {
  inherit (builtins) concatStringsSep replaceStrings stringLength substring toString;

  concatStrings = concatStringsSep "";
  concatMapStrings = f: list: concatStrings (map f list);
  concatMapStringsSep = sep: f: list: concatStringsSep sep (map f list);
  # Each element followed by a newline.
  concatLines = list: concatMapStrings (s: s + "\n") list;

  optionalString = cond: s: if cond then s else "";

  hasPrefix = prefix: s: substring 0 (stringLength prefix) s == prefix;
  hasSuffix = suffix: s:
    let ls = stringLength s; lx = stringLength suffix; in
    ls >= lx && substring (ls - lx) lx s == suffix;
  hasInfix = infix: s: builtins.match ".*${escapeRegex infix}.*" s != null;

  removePrefix = prefix: s:
    if hasPrefix prefix s then substring (stringLength prefix) (stringLength s) s else s;
  removeSuffix = suffix: s:
    if hasSuffix suffix s then substring 0 (stringLength s - stringLength suffix) s else s;

  stringToCharacters = s: genList (i: substring i 1 s) (stringLength s);

  escapeRegex = s:
    concatMapStrings (c: if builtins.elem c [ "\\" "[" "]" "{" "}" "(" ")" "." "*" "+" "?" "^" "$" "|" ] then "\\" + c else c)
      (stringToCharacters s);

  # Splits at every occurrence of the literal `sep`.
  splitString = sep: s: filter isString (builtins.split (escapeRegex sep) s);

  toUpper = replaceStrings lower upper;
  toLower = replaceStrings upper lower;
  lower = stringToCharacters "abcdefghijklmnopqrstuvwxyz";
  upper = stringToCharacters "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

  # Removes leading and trailing blanks (spaces, tabs, newlines).
  trim = s:
    let m = builtins.match "[ \t\r\n]*(.*[^ \t\r\n])?[ \t\r\n]*" s; in
    if m == null || elemAt m 0 == null then "" else elemAt m 0;

  # A file's contents without its final newline.
  fileContents = file: removeSuffix "\n" (builtins.readFile file);

  # Quotes for a POSIX shell: 'it'\''s'.
  escapeShellArg = s: "'" + replaceStrings [ "'" ] [ "'\\''" ] (toString s) + "'";
  escapeShellArgs = args: concatMapStringsSep " " escapeShellArg args;

  # "a/bin:b/bin" for a list of packages (store paths).
  makeBinPath = pkgs: concatMapStringsSep ":" (p: "${p}/bin") pkgs;

  toInt = s:
    let m = builtins.match "[ \t]*(-?[0-9]+)[ \t]*" s; in
    if m == null then throw "lib.toInt: `${s}' is not an integer" else builtins.fromJSON (elemAt m 0);

  # Prefixes every non-empty line with `prefix`.
  indent = prefix: s:
    concatStringsSep "\n" (map (l: if l == "" then l else prefix + l) (splitString "\n" s));

  versionAtLeast = a: b: builtins.compareVersions a b >= 0;
  versionOlder = a: b: builtins.compareVersions a b < 0;

  # A short, one-line rendering of a value for error messages (never forces more than it shows).
  showValue = v: showValueDepth 2 v;

  showValueDepth = depth: v:
    if isString v then toJSON v
    else if isInt v || isFloat v then toString v
    else if isBool v then (if v then "true" else "false")
    else if v == null then "null"
    else if isPath v then toString v
    else if isFunction v then "a function"
    else if isList v then
      (if v == [ ] then "[ ]"
       else if depth == 0 then "[ ... ]"
       else "[ " + concatMapStringsSep " " (showValueDepth (depth - 1)) (lib.take 4 v)
         + (if length v > 4 then " ... ]" else " ]"))
    else if isAttrs v then
      (if lib.isDerivation v then "the derivation ${v.name or "?"}"
       else if v ? _type then "a `${v._type}' value"
       else if v == { } then "{ }"
       else if depth == 0 then "{ ... }"
       else
         let names = attrNames v; in
         "{ " + concatMapStrings (n: "${showName n} = ${showValueDepth (depth - 1) v.${n}}; ") (lib.take 4 names)
         + (if length names > 4 then "... }" else "}"))
    else "a value";

  # `a.b."c/d"`: an attribute path as it would be written.
  showName = n: if builtins.match "[a-zA-Z_][a-zA-Z0-9_'-]*" n != null then n else toJSON n;
  # List positions ("[2]") follow their list without a dot: environment.packages[2].
  showAttrPath = path:
    concatStrings (lib.imap0 (i: n:
      if hasPrefix "[" n then n else (if i == 0 then "" else ".") + showName n) path);

  # What kind of value (for "expected X, got Y").
  describeValue = v:
    if isString v then "the string ${showValue v}"
    else if isInt v then "the integer ${toString v}"
    else if isFloat v then "the float ${toString v}"
    else if isBool v then "the Boolean ${showValue v}"
    else if v == null then "null"
    else if isPath v then "the path ${toString v}"
    else if isList v then "a list ${showValue v}"
    else if isFunction v then "a function"
    else if lib.isDerivation v then "the derivation ${v.name or "?"}"
    else "the attribute set ${showValue v}";
}
