package dev.flotilla.eval.builtins;

import dev.flotilla.eval.EvalException;
import dev.flotilla.eval.Pos;

/** Nix files that {@code <nix/...>} provides without a Nix installation. */
final class CorePkgs {
    private CorePkgs() {}

    static String source(String name, Pos pos) {
        return switch (name) {
            case "fetchurl.nix" -> FETCHURL;
            default -> throw new EvalException(pos, "file 'nix/" + name + "' was not found in the Nix search path");
        };
    }

    /** A fixed-output derivation fetched by the builder's built-in fetcher. */
    private static final String FETCHURL = """
            { system ? "", url, hash ? "", sha256 ? "", sha1 ? "", md5 ? "", outputHash ? "", outputHashAlgo ? ""
            , name ? baseNameOf (toString url), executable ? false, unpack ? false }:
            let
              h = if hash != "" then { a = ""; v = hash; }
                else if sha256 != "" then { a = "sha256"; v = sha256; }
                else if sha1 != "" then { a = "sha1"; v = sha1; }
                else if md5 != "" then { a = "md5"; v = md5; }
                else { a = outputHashAlgo; v = outputHash; };
            in derivation {
              builder = "builtin:fetchurl";
              system = "builtin";
              inherit name url executable unpack;
              outputHashMode = if unpack || executable then "recursive" else "flat";
              outputHashAlgo = h.a;
              outputHash = h.v;
              preferLocalBuild = true;
              impureEnvVars = [ "http_proxy" "https_proxy" "ftp_proxy" "all_proxy" "no_proxy" ];
              urls = [ url ];
            }
            """;
}
