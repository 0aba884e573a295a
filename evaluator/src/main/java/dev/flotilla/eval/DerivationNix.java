package dev.flotilla.eval;

/**
 * {@code derivation}: a Nix-level wrapper around {@code derivationStrict} that gives every output
 * its own attribute set (sharing the common attributes), as Nix's built-in derivation.nix does.
 */
final class DerivationNix {
    private DerivationNix() {}

    /** The pseudo file name of {@link #SOURCE} in positions. */
    static final String FILE = "<nix/derivation-internal.nix>";

    static final String SOURCE = """
            drvAttrs @ { outputs ? [ "out" ], ... }:
            let
              strict = derivationStrict drvAttrs;
              common = drvAttrs // builtins.listToAttrs perOutput // {
                all = map (o: o.value) perOutput;
                inherit drvAttrs;
              };
              forOutput = outputName: {
                name = outputName;
                value = common // {
                  outPath = builtins.getAttr outputName strict;
                  drvPath = strict.drvPath;
                  type = "derivation";
                  inherit outputName;
                };
              };
              perOutput = map forOutput outputs;
            in (builtins.head perOutput).value
            """;
}
