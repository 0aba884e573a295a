package dev.flotilla.eval;

import java.util.List;

/**
 * The names Nix 2.8 interns before it reads any user code, in that order. Nix compares symbols
 * by address, which mostly follows creation, so these come first wherever Nix walks a set in its
 * internal order (--parse printing, --strict / deepSeq forcing).
 */
final class StartupSymbols {
    private StartupSymbols() {}

    /**
     * Measured, not derived: nix-instantiate 2.8 --parse prints a let's bindings in symbol order, and
     * a let binding every name it could intern at start-up shows the order its build really has
     * (its allocator puts a few out of creation order). Ends with the names of derivation.nix.
     */
    static final List<String> NAMES = List.of(
            "<with>", "meta", "name", "value", "system", "__overrides", "outputs", "outputName", "__ignoreNulls",
            "file", "line", "column", "outPath", "drvPath", "type", "__functor", "__toString", "right", "wrong",
            "__structuredAttrs", "builder", "args", "__contentAddressed", "__impure", "outputHash", "outputHashAlgo",
            "outputHashMode", "recurseForDerivations", "description", "self", "startSet", "operator", "key", "path",
            "prefix", "builtins", "true", "false", "null", "__currentTime", "currentTime", "__currentSystem",
            "currentSystem", "__nixVersion", "nixVersion", "__storeDir", "storeDir", "__langVersion", "langVersion",
            "__nixPath", "nixPath", "scopedImport", "import", "__typeOf", "typeOf", "isNull", "__isFunction",
            "isFunction", "__isInt", "isInt", "__isFloat", "isFloat", "__isString", "isString", "__isBool", "isBool",
            "__isPath", "isPath", "__genericClosure", "genericClosure", "abort", "throw", "__addErrorContext",
            "addErrorContext", "__ceil", "ceil", "__floor", "floor", "__tryEval", "tryEval", "__getEnv", "getEnv",
            "__seq", "seq", "__deepSeq", "deepSeq", "__trace", "trace", "derivationStrict", "placeholder",
            "__toPath", "toPath", "__storePath", "storePath", "__pathExists", "pathExists", "baseNameOf", "dirOf",
            "__readFile", "readFile", "__findFile", "findFile", "__hashFile", "hashFile", "__readDir", "readDir",
            "__toXML", "toXML", "__toJSON", "toJSON", "__fromJSON", "fromJSON", "__toFile", "toFile",
            "__filterSource", "filterSource", "__path", "__attrNames", "attrNames", "__attrValues", "attrValues",
            "__getAttr", "getAttr", "__unsafeGetAttrPos", "unsafeGetAttrPos", "__hasAttr", "hasAttr", "__isAttrs",
            "isAttrs", "removeAttrs", "__listToAttrs", "listToAttrs", "__intersectAttrs", "intersectAttrs",
            "__catAttrs", "catAttrs", "__functionArgs", "functionArgs", "__mapAttrs", "mapAttrs", "__zipAttrsWith",
            "zipAttrsWith", "__isList", "isList", "__elemAt", "elemAt", "__head", "head", "__tail", "tail", "map",
            "__filter", "filter", "__elem", "elem", "__concatLists", "concatLists", "__length", "length", "__foldl'",
            "foldl'", "__any", "any", "__all", "all", "__genList", "genList", "__sort", "sort", "__partition",
            "partition", "__groupBy", "groupBy", "__concatMap", "concatMap", "__add", "add", "__sub", "sub", "__mul",
            "mul", "__div", "div", "__bitAnd", "bitAnd", "__bitOr", "bitOr", "__bitXor", "bitXor", "__lessThan",
            "lessThan", "toString", "__substring", "substring", "__stringLength", "stringLength", "__hashString",
            "hashString", "__match", "match", "__split", "split", "__concatStringsSep", "concatStringsSep",
            "__replaceStrings", "replaceStrings", "__parseDrvName", "parseDrvName", "__compareVersions",
            "compareVersions", "__splitVersion", "splitVersion", "__unsafeDiscardStringContext",
            "unsafeDiscardStringContext", "__hasContext", "hasContext", "__unsafeDiscardOutputDependency",
            "unsafeDiscardOutputDependency", "__getContext", "getContext", "__appendContext", "appendContext",
            "fetchMercurial", "fetchTree", "__fetchurl", "fetchurl", "fetchTarball", "fetchGit", "fromTOML",
            "derivation", "strict", "drvAttrs", "commonAttrs", "outputsList", "x", "outputToAttrListElement");

    /** Ranks of the start-up names and then of the names of the built-in derivation.nix, parsed at start-up. */
    private static final java.util.function.ToIntFunction<String> RANK = dev.flotilla.eval.syntax.SymbolOrder.of(NAMES,
            List.of(), dev.flotilla.eval.syntax.Parser.parse(DerivationNix.SOURCE, DerivationNix.FILE, "/", "/"));

    /** The name's place among the start-up symbols, or -1 if Nix interns it later. */
    static int rank(String name) {
        return RANK.applyAsInt(name);
    }
}
