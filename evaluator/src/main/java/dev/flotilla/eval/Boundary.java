package dev.flotilla.eval;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Where evaluation meets the rest of the JVM: deep Nix recursion becomes Nix's "stack overflow"
 * error instead of killing the caller, and work can run on a thread with a large stack.
 */
public final class Boundary {
    /** Stack size for evaluation threads: deep but lazy configs (nixpkgs-style fixpoints) need it. */
    public static final long EVAL_STACK_BYTES = 1L << 30;

    private Boundary() {}

    /**
     * A stack overflow caught at the innermost function call, carrying that call's position. It is
     * deliberately not a {@link StackOverflowError} nor an {@link EvalException}: the handlers of
     * the (possibly million) frames above must not run, as entering a never-taken handler in
     * compiled code deoptimises that frame, which makes unwinding take minutes.
     */
    static final class DeepRecursion extends Error {
        final Pos pos;

        DeepRecursion(Pos pos) {
            super(null, null, false, false);
            this.pos = pos;
        }
    }

    public static <T> T guard(Supplier<T> work) {
        try {
            return work.get();
        } catch (DeepRecursion e) {
            throw new EvalException(e.pos, Interpreter.STACK_OVERFLOW).withoutShownPosition();
        } catch (StackOverflowError e) {
            throw new EvalException(Pos.NONE, Interpreter.STACK_OVERFLOW);
        }
    }

    /** Runs {@code work} on a fresh thread with a {@link #EVAL_STACK_BYTES} stack and waits for it. */
    public static <T> T onBigStack(Supplier<T> work) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                result.set(guard(work));
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "nix-eval", EVAL_STACK_BYTES);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            t.interrupt();
            Thread.currentThread().interrupt();
            throw new EvalException(Pos.NONE, "evaluation interrupted");
        }
        Throwable f = failure.get();
        if (f instanceof RuntimeException re) throw re;
        if (f instanceof Error err) throw err;
        if (f != null) throw new IllegalStateException(f);
        return result.get();
    }
}
