# lib.options: declaring options, and listing them (for documentation).
lib:
let
  inherit (builtins) attrNames concatMap concatStringsSep isAttrs removeAttrs;
  known = [ "type" "default" "defaultText" "description" "example" "apply" "internal" "visible" "readOnly" ];
in
rec {
  # Declares an option: mkOption { type = lib.types.str; default = "x"; description = "..."; }.
  mkOption = args:
    let stray = removeAttrs args known; in
    if stray != { }
    then throw "lib.mkOption: unknown argument(s) ${concatStringsSep ", " (attrNames stray)}; known: ${concatStringsSep ", " known}"
    else args // { _type = "option"; };

  # A Boolean option, false by default.
  mkEnableOption = what: mkOption {
    type = lib.types.bool;
    default = false;
    description = "Whether to enable ${what}.";
  };

  # Text standing for a default or an example in documentation, instead of a value.
  literalExpression = text: { _type = "literalExpression"; inherit text; };

  isOption = v: isAttrs v && (v._type or null) == "option";

  showOption = lib.showAttrPath;

  # Every visible option of a declaration tree (the `options` of evalModules), sub-options of
  # submodules included (under `<name>` / `*`), as a list of
  # { name; loc; type; description; default?; declarations; }.
  optionsToList = tree:
    let
      go = loc: node:
        if isOption node then
          (if node.internal or false || !(node.visible or true) then [ ]
           else [ ({
             name = lib.showAttrPath node.loc;
             inherit (node) loc declarations;
             type = node.type.description;
             description = node.description or null;
           } // lib.optionalAttrs (node ? default) { default = node.defaultText or node.default; }) ]
           ++ (let sub = node.type.getSubOptions or null; in
               if sub == null then [ ] else go node.loc (sub node.loc)))
        else concatMap (n: go (loc ++ [ n ]) node.${n}) (attrNames node);
    in
    go [ ] tree;
}
