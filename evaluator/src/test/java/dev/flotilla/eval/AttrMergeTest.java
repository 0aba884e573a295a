package dev.flotilla.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** An attribute defined twice as two set literals is one set, as Nix 2.8's parser merges them (outputs from Nix 2.8). */
class AttrMergeTest {

    @Test
    void theStaticAttributesOfBothLiteralsAreMerged() {
        assertEquals("{ a = { x = 1; y = 2; }; }", TestSupport.eval("{ a = { x = 1; }; a = { y = 2; }; }"));
        assertEquals("{ a = { b = 1; c = 2; }; }", TestSupport.eval("{ a.b = 1; a = { c = 2; }; }"));
    }

    @Test
    void theLaterLiteralsDynamicAttributesAreDroppedAsNix28Does() {
        assertEquals("{ set1 = { a = 1; }; set2 = { a = 1; b = 2; }; set3 = { a = 1; b = 2; }; set4 = { a = 1; b = 2; }; }",
                TestSupport.eval("{ set1 = { a = 1; }; set1 = { \"${\"b\" + \"\"}\" = 2; };"
                        + " set2 = { \"${\"b\" + \"\"}\" = 2; }; set2 = { a = 1; };"
                        + " set3.a = 1; set3.\"${\"b\" + \"\"}\" = 2;"
                        + " set4.\"${\"b\" + \"\"}\" = 2; set4.a = 1; }"));
        assertEquals("{ x = { a = { b = 1; c = 2; }; }; }", TestSupport.eval("{ x = { a.b = 1; a = { c = 2; \"${\"d\"}\" = 3; }; }; }"));
    }

    @Test
    void anAttributeInBothLiteralsIsStillAnError() {
        assertTrue(TestSupport.error("{ a = { x = 1; }; a = { x = 2; }; }").getMessage().contains("already defined"));
    }
}
