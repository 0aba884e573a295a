package dev.flotilla.eval;

/**
 * A Nix value in weak head normal form. Containers ({@link NixList}, {@link NixAttrs}) hold
 * {@link Lazy} elements, so their contents may still be unevaluated.
 */
public sealed interface Value extends Lazy
        permits NixInt, NixFloat, NixBool, NixNull, NixString, NixPath, NixList, NixAttrs, NixFunction {
    @Override
    default Value force() {
        return this;
    }

    /** The name {@code builtins.typeOf} returns. */
    String typeOf();

    /** The phrase used in error messages ("an integer", "a set", ...). */
    String showType();
}
