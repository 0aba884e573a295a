# lib.attrsets: functions on attribute sets. Every file of the lib is a function of the whole lib.
lib:
let
  inherit (builtins) attrNames concatMap elemAt filter foldl' hasAttr head isAttrs length
    listToAttrs mapAttrs tail;
in
rec {
  inherit (builtins) attrNames attrValues catAttrs getAttr hasAttr intersectAttrs listToAttrs
    mapAttrs removeAttrs zipAttrsWith;

  nameValuePair = name: value: { inherit name value; };

  # The value at `path` in `set`, or `default` when some step is missing.
  attrByPath = path: default: set:
    let
      go = i: s:
        if i == length path then s
        else
          let n = elemAt path i; in
          if isAttrs s && s ? ${n} then go (i + 1) s.${n} else default;
    in
    go 0 set;

  hasAttrByPath = path: set:
    let
      go = i: s: i == length path || (let n = elemAt path i; in isAttrs s && s ? ${n} && go (i + 1) s.${n});
    in
    go 0 set;

  getAttrFromPath = path: set:
    attrByPath path (throw "attribute `${builtins.concatStringsSep "." path}' is missing") set;

  setAttrByPath = path: value:
    if path == [ ] then value else { ${head path} = setAttrByPath (tail path) value; };

  # Like mapAttrs, but `f name value` returns a { name; value; } pair.
  mapAttrs' = f: set: listToAttrs (map (n: f n set.${n}) (attrNames set));

  mapAttrsToList = f: set: map (n: f n set.${n}) (attrNames set);

  # mapAttrs into nested sets; `f` gets the path (a list of names) and the leaf.
  mapAttrsRecursive = f: set:
    let
      go = path: s: mapAttrs (n: v: if isAttrs v && !(lib.isDerivation v) then go (path ++ [ n ]) v else f (path ++ [ n ]) v) s;
    in
    go [ ] set;

  filterAttrs = pred: set:
    listToAttrs (concatMap (n: let v = set.${n}; in if pred n v then [ (nameValuePair n v) ] else [ ]) (attrNames set));

  genAttrs = names: f: listToAttrs (map (n: nameValuePair n (f n)) names);

  optionalAttrs = cond: set: if cond then set else { };

  # `b` over `a`, recursing while both sides are (non-derivation) attribute sets.
  recursiveUpdate = a: b:
    let
      both = n: isAttrs a.${n} && isAttrs b.${n} && !(lib.isDerivation a.${n}) && !(lib.isDerivation b.${n});
    in
    a // mapAttrs (n: v: if a ? ${n} && both n then recursiveUpdate a.${n} v else v) b;

  # Folds `op value acc` over every set's values, per attribute name.
  foldAttrs = op: nul: sets:
    zipAttrsWith (n: values: lib.foldr op nul values) sets;

  # Every value, at any depth, for which `pred` holds (not looking inside those).
  collect = pred: v:
    if pred v then [ v ]
    else if isAttrs v then concatMap (n: collect pred v.${n}) (attrNames v)
    else [ ];

  attrsToList = set: mapAttrsToList nameValuePair set;

  isDerivation = v: isAttrs v && (v.type or null) == "derivation";

  # Union of the names of many sets, sorted.
  unionOfNames = sets: attrNames (foldl' (acc: s: acc // s) { } sets);
}
