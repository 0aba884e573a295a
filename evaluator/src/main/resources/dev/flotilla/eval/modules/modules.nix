# lib.modules: the module system.
#
# A module is a path, a function of { config, options, lib, ... } or an attribute set
# { imports ? [], options ? {}, config ? {} } (or the shorthand: a set of definitions).
# evalModules collects modules through their imports, merges the option declarations into one
# tree, and gives every option the merge of its definitions: properties (mkIf, mkMerge) are
# pushed down to the options, the highest priority (lowest number, see mkOverride) wins, order
# properties (mkBefore / mkAfter) sort what remains, and the option's type merges it.
#
# A definition carries where it comes from: { file; pos; root; where; value; } where `pos` is
# builtins.unsafeGetAttrPos of its attribute (or null) and `where` is "file:line:col" relative to
# `root`; every error names the option and the places that define it.
lib:
let
  inherit (builtins) attrNames concatLists concatMap concatStringsSep filter foldl' functionArgs
    genericClosure head isAttrs isBool isFunction isPath isString length mapAttrs removeAttrs tail
    toString unsafeGetAttrPos zipAttrsWith;
  inherit (lib) showAttrPath showValue describeValue;
in
rec {
  # ---- Properties -----------------------------------------------------------------------------

  mkIf = condition: content: { _type = "if"; inherit condition content; };
  mkMerge = contents: { _type = "merge"; inherit contents; };

  mkOverride = priority: content: { _type = "override"; inherit priority content; };
  defaultPriority = 100;
  mkOptionDefault = mkOverride 1500; # what an option's `default` is given
  mkDefault = mkOverride 1000;
  mkForce = mkOverride 50;

  mkOrder = priority: content: { _type = "order"; inherit priority content; };
  defaultOrder = 1000;
  mkBefore = mkOrder 500;
  mkAfter = mkOrder 1500;

  # ---- Definitions and where they come from ---------------------------------------------------

  showFile = root: file:
    let
      f = toString file;
      r = if root == null then null else toString root + "/";
    in
    if r != null && lib.hasPrefix r f then lib.removePrefix r f else f;

  showPos = root: file: pos:
    if pos == null then showFile root file
    else "${showFile root pos.file}:${toString pos.line}:${toString pos.column}";

  mkDef = root: file: pos: value: { inherit root file pos value; where = showPos root file pos; };

  # The definition of attribute `name` inside definition `def` (whose value is a set).
  childDef = def: name: mkDef def.root def.file (unsafeGetAttrPos name def.value) def.value.${name};

  # "a, b and c" of distinct places.
  showPlaces = defs:
    let places = lib.uniqueStrings (map (d: d.where) defs); in
    if length places == 1 then head places
    else concatStringsSep ", " (lib.init places) + " and " + lib.last places;

  # Splits a definition of a set of options into definitions per attribute, carrying properties
  # (mkIf, mkOverride) down to each attribute and expanding mkMerge. Never evaluates a condition.
  pushDown = loc: def:
    let
      v = def.value;
      t = if isAttrs v then v._type or null else null;
      wrap = f: mapAttrs (n: map (d: d // { value = f d.value; }));
    in
    if t == "merge" then zipAttrsWith (n: concatLists) (map (c: pushDown loc (def // { value = c; })) v.contents)
    else if t == "if" then wrap (mkIf v.condition) (pushDown loc (def // { value = v.content; }))
    else if t == "override" then wrap (mkOverride v.priority) (pushDown loc (def // { value = v.content; }))
    else if t == "order" then pushDown loc (def // { value = v.content; })
    else if t == null && isAttrs v then mapAttrs (n: _: [ (childDef def n) ]) v
    else throw ("`${showAttrPath loc}' is a set of options, so ${def.where} must define it as an attribute set,"
      + " not ${describeValue v}");

  # The values a definition stands for once its properties are applied: a list of
  # { value; prio; order; } (empty when a mkIf condition is false).
  discharge = where: prio: order: v:
    let t = if isAttrs v then v._type or null else null; in
    if t == "merge" then concatMap (discharge where prio order) v.contents
    else if t == "if" then
      (if !isBool v.condition
       then throw "${where}: lib.mkIf needs a Boolean condition, got ${describeValue v.condition}"
       else if v.condition then discharge where prio order v.content
       else [ ])
    else if t == "override" then discharge where (if prio == null then v.priority else prio) order v.content
    else if t == "order" then discharge where prio (if order == null then v.priority else order) v.content
    else [{ value = v; inherit prio order; }];

  # Merges the definitions of one option: { defined; value; } (defined is false when no
  # definition survives its mkIf conditions). `opt` needs `type`; `default` and `apply` are used
  # when present.
  mergeDefinitions' = loc: opt: defs:
    let
      defaults =
        if opt ? default
        then [ ((mkDef opt.root or null opt.declFile or "<unknown>" opt.declPos or null (mkOptionDefault opt.default)) // {
          where = "the default declared at ${opt.declWhere or "?"}";
        }) ]
        else [ ];
      flat = concatMap (d: map (p: d // p) (discharge d.where null null d.value)) (defs ++ defaults);
      prioOf = d: if d.prio == null then defaultPriority else d.prio;
      best = foldl' (m: d: lib.min m (prioOf d)) 100000 flat;
      winners = filter (d: prioOf d == best) flat;
      sorted = if length winners < 2 then winners
        else lib.sortOn (d: if d.order == null then defaultOrder else d.order) winners;
      type = opt.type;
      bad = filter (d: !(type.check d.value)) sorted;
      merged =
        if bad != [ ] then
          throw ("The option `${showAttrPath loc}' has a value of the wrong type in ${(head bad).where}:"
            + " expected ${type.description}, got ${describeValue (head bad).value}."
            + " Defined in ${showPlaces defs}.")
        else type.merge loc sorted;
    in
    {
      defined = sorted != [ ];
      value = if opt.apply or null != null then opt.apply merged else merged;
    };

  mergeDefinitions = loc: opt: defs:
    let r = mergeDefinitions' loc opt defs; in
    if r.defined then r.value
    else throw ("The option `${showAttrPath loc}' is used but not defined"
      + (if opt ? declWhere then " (declared at ${opt.declWhere})." else "."));

  # ---- Declarations ---------------------------------------------------------------------------

  isOption = v: isAttrs v && (v._type or null) == "option";

  # Merges the `options` trees of many modules ({ file; options; } each) into one tree whose
  # leaves are the declarations, extended with loc, declarations (places), declFile, declPos.
  mergeDeclarations = root: loc: decls:
    zipAttrsWith (n: subs: declNode root (loc ++ [ n ]) subs)
      (map (d:
        if !isAttrs d.options
        then throw "${showFile root d.file}: `options.${showAttrPath loc}' must be a set of options, not ${describeValue d.options}"
        else mapAttrs (n: v: { file = d.file; value = v; where = showPos root d.file (unsafeGetAttrPos n d.options); pos = unsafeGetAttrPos n d.options; }) d.options)
        decls);

  declNode = root: loc: subs:
    let
      opts = filter (s: isOption s.value) subs;
      others = filter (s: !(isOption s.value)) subs;
    in
    if opts == [ ] then
      (let bad = filter (s: !isAttrs s.value) subs; in
        if bad != [ ]
        then throw "${(head bad).where}: `options.${showAttrPath loc}' must be an option (lib.mkOption) or a set of options, not ${describeValue (head bad).value}"
        else mergeDeclarations root loc (map (s: { file = s.file; options = s.value; }) subs))
    else if others != [ ] then
      throw "The option `${showAttrPath loc}' is declared at ${showPlaces opts} and is also a set of options at ${showPlaces others}"
    else
      let
        merged = foldl' (a: b: mergeDeclPair loc a b) (head opts) (tail opts);
      in
      merged.value // {
        inherit loc root;
        type = merged.value.type or lib.types.anything;
        declarations = map (o: o.where) opts;
        declFile = (head opts).file;
        declPos = (head opts).pos;
        declWhere = (head opts).where;
      };

  mergeDeclPair = loc: a: b:
    let
      ta = a.value.type or null;
      tb = b.value.type or null;
      t = if ta == null then tb else if tb == null then ta else ta.typeMerge tb;
    in
    if ta != null && tb != null && t == null then
      throw "The option `${showAttrPath loc}' is declared at ${a.where} as ${ta.description} and at ${b.where} as ${tb.description}; only submodule types can be declared more than once"
    else if a.value ? default && b.value ? default then
      throw "The option `${showAttrPath loc}' has a default at both ${a.where} and ${b.where}"
    else a // { value = a.value // b.value // (if t == null then { } else { type = t; }); };

  # ---- Evaluation -----------------------------------------------------------------------------

  # { modules; specialArgs ? {}; prefix ? []; root ? null; } → { config; options; files; }
  # `root` (a directory) shortens the file names in messages. `files` lists the module files read.
  evalModules = { modules, specialArgs ? { }, prefix ? [ ], root ? null }:
    let
      baseArgs = specialArgs // { inherit lib config; options = declared; };

      callModule = file: f:
        let
          wanted = removeAttrs (functionArgs f) (attrNames baseArgs);
          extra = mapAttrs (n: _: config._module.args.${n}
            or (throw "${showFile root file}: the module argument `${n}' is not defined (known: ${concatStringsSep ", " (attrNames baseArgs ++ attrNames config._module.args)})"))
            wanted;
        in
        f (baseArgs // extra);

      load = file: key: m:
        if isPath m || isString m then
          (let f = toString m; in load f key (import m))
        else if isFunction m then normalize file key (callModule file m)
        else if isAttrs m then normalize file key m
        else throw "${showFile root file}: a module must be a path, a function or an attribute set, not ${describeValue m}";

      normalize = file: key: m:
        let
          f = toString (m._file or file);
          structured = m ? options || m ? config;
          stray = removeAttrs m [ "_file" "key" "imports" "options" "config" "meta" ];
        in
        if !isAttrs m then throw "${showFile root file}: a module function must return an attribute set, not ${describeValue m}"
        else if structured && stray != { } then
          throw "${showFile root f}: this module has `options' or `config', so its definitions (${concatStringsSep ", " (attrNames stray)}) must go inside `config'"
        else {
          inherit key;
          file = f;
          imports = m.imports or [ ];
          options = m.options or { };
          config = if structured then m.config or { } else removeAttrs m [ "_file" "key" "imports" "meta" ];
        };

      isFileModule = m: isPath m || (isString m && lib.hasPrefix "/" m);

      item = parentFile: parentKey: i: m:
        if isFileModule m
        then { key = toString m; fromFile = true; module = load (toString m) (toString m) m; }
        else let k = "${parentKey}:${toString i}"; in { key = k; fromFile = false; module = load parentFile k m; };

      closure = genericClosure {
        startSet = lib.imap1 (item "<evalModules>" "<evalModules>") ([ internalModule ] ++ modules);
        operator = x: lib.imap1 (item x.module.file x.key) x.module.imports;
      };
      collected = map (x: x.module) closure;

      declared = mergeDeclarations root prefix (map (m: { inherit (m) file options; }) collected);

      walk = loc: decls: defs:
        let
          byName = zipAttrsWith (n: concatLists) (map (pushDown loc) defs);
          sub = n: byName.${n} or [ ];
          children = mapAttrs (n: d: if isOption d then null else walk (loc ++ [ n ]) d (sub n)) decls;
          undeclared = attrNames (removeAttrs byName (attrNames decls));
        in
        {
          value = mapAttrs (n: d: if isOption d then mergeDefinitions (loc ++ [ n ]) d (sub n) else children.${n}.value) decls;
          errors =
            map (n: "The option `${showAttrPath (loc ++ [ n ])}' does not exist; it is defined in ${showPlaces byName.${n}}."
              + (let known = filter (k: lib.substring 0 1 k != "_") (attrNames decls); in
                 if known == [ ] then "" else " Options here: ${concatStringsSep ", " (map lib.showName known)}."))
              undeclared
            ++ concatMap (n: if children.${n} == null then [ ] else children.${n}.errors) (attrNames children);
        };

      top = walk prefix declared (map (m: mkDef root m.file null m.config) collected);
      config = top.value;
      # What callers see: checked for undeclared definitions, without the internal `_module`.
      checked =
        if top.errors == [ ] then removeAttrs config [ "_module" ]
        else throw (concatStringsSep "\n" top.errors);
    in
    {
      config = checked;
      options = declared;
      files = map (x: x.key) (filter (x: x.fromFile) closure);
    };

  internalModule = {
    _file = "<flotilla>/lib/modules.nix";
    options._module.args = lib.mkOption {
      type = lib.types.attrsOf lib.types.raw;
      default = { };
      internal = true;
      description = "Extra arguments given to every module function of this evaluation.";
    };
  };
}
