package dev.flotilla.eval;

/**
 * {@code derivation}: a Nix-level wrapper around {@code derivationStrict} that gives every output
 * its own attribute set (sharing the common attributes), as Nix's built-in derivation.nix does.
 */
final class DerivationNix {
    private DerivationNix() {}

    /** The pseudo file name of {@link #SOURCE} in positions: Nix 2.8's name for its own wrapper. */
    static final String FILE = "//builtin/derivation.nix";

    /*
     * Laid out so that every attribute a derivation gets from here sits at the line and column Nix
     * 2.8 reports for it (unsafeGetAttrPos, --xml, traces: `all` 12:7, `drvAttrs` 13:14, an output
     * 18:7, `outPath` 19:9, `drvPath` 20:9, `type` 21:9, `outputName` 22:16), and with the binding
     * names that show in traces and decide the symbol order Nix 2.8 interns at start-up.
     */
    static final String SOURCE = """
            # The `derivation` function: derivationStrict does the work; this wrapper
            # gives every output its own attribute set, all of them sharing the
            # attributes they have in common.
            
            drvAttrs @ { outputs ? [ "out" ], ... }:
            
            let
            
              strict = derivationStrict drvAttrs;
            
              commonAttrs = drvAttrs // (builtins.listToAttrs outputsList) //
                { all = map (x: x.value) outputsList;
                  inherit drvAttrs;
                };
            
              outputToAttrListElement = outputName:
                { name = outputName;
                  value = commonAttrs // {
                    outPath = builtins.getAttr outputName strict;
                    drvPath = strict.drvPath;
                    type = "derivation";
                    inherit outputName;
                  };
                };
            
              outputsList = map outputToAttrListElement outputs;
            
            in (builtins.head outputsList).value
            """;
}
