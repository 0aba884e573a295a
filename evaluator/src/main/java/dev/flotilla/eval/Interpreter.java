package dev.flotilla.eval;

import dev.flotilla.eval.NixFunction.Lambda;
import dev.flotilla.eval.NixFunction.PrimOp;
import dev.flotilla.eval.NixFunction.PrimOpApp;
import dev.flotilla.eval.syntax.Expr;
import dev.flotilla.eval.syntax.Expr.*;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Evaluates resolved expressions to weak head normal form. One interpreter is one evaluation
 * session: it owns the import cache and the builtins, and is confined to one thread.
 * Attribute sets and string concatenation live in {@link AttrsEval} and {@link Coercion}.
 */
public final class Interpreter {
    static final String STACK_OVERFLOW = "stack overflow (possible infinite recursion)";

    private final EvalSession session;

    Interpreter(EvalSession session) {
        this.session = session;
    }

    public EvalSession session() {
        return session;
    }

    public Value eval(Expr e, Env env) {
        // The most frequent nodes first, as plain type tests: cheaper than a pattern switch in C1-compiled code.
        if (e instanceof Var v) return lookup(v, env).force(v.pos());
        if (e instanceof Select s) return select(s, env);
        if (e instanceof Call c) return call(c, env);
        if (e instanceof Attrs a) return AttrsEval.attrs(this, a, env);
        if (e instanceof If i) return eval(Force.bool(eval(i.cond(), env), i.pos()) ? i.then() : i.otherwise(), env);
        if (e instanceof Expr.Lambda l) return new Lambda(l, env);
        return evalOther(e, env);
    }

    private Value evalOther(Expr e, Env env) {
        return switch (e) {
            case IntLit x -> new NixInt(x.value());
            case FloatLit x -> new NixFloat(x.value());
            case StrLit x -> new NixString(x.value());
            case PathLit x -> new NixPath(x.path());
            case Var v -> lookup(v, env).force(v.pos());
            case Select s -> select(s, env);
            case HasAttr h -> NixBool.of(hasAttr(h, env));
            case Attrs a -> AttrsEval.attrs(this, a, env);
            case ListLit l -> list(l, env);
            case Expr.Lambda l -> new Lambda(l, env);
            case Call c -> call(c, env);
            case Let l -> eval(l.body(), AttrsEval.let(this, l.bindings(), env));
            case With w -> eval(w.body(), env.withScope(lazy(w.scope(), env)));
            case If i -> eval(Force.bool(eval(i.cond(), env), i.pos()) ? i.then() : i.otherwise(), env);
            case Assert a -> {
                if (!Force.bool(eval(a.cond(), env), a.cond().pos())) {
                    // Nix 2.8 quotes the condition as --parse prints it (its order for let bindings is a guess here).
                    throw new CatchableException(a.pos(), "assertion '" + dev.flotilla.eval.syntax.ExprPrinter.print(a.cond(), name -> -1) + "' failed");
                }
                yield eval(a.body(), env);
            }
            case Not n -> NixBool.of(!boolOfNot(eval(n.operand(), env), n.pos()));
            case BinOp b -> binOp(b, env);
            case Concat c -> Coercion.concat(this, c, env);
            case CurPos c -> position(c.pos());
        };
    }

    /** A lazy reference to {@code e} in {@code env}: constants and bound variables need no thunk. */
    public Lazy lazy(Expr e, Env env) {
        if (e instanceof Var v) {
            if (!v.fromWith()) {
                Lazy slot = env.up(v.level()).slots[v.index()];
                if (slot != null) return slot;
            }
        } else if (e instanceof StrLit x) {
            return new NixString(x.value());
        } else if (e instanceof IntLit x) {
            return new NixInt(x.value());
        } else if (e instanceof FloatLit x) {
            return new NixFloat(x.value());
        } else if (e instanceof Expr.Lambda l) {
            return new Lambda(l, env);
        } else if (e instanceof PathLit x) {
            return new NixPath(x.path());
        }
        return new Thunk(e, env);
    }

    private Lazy lookup(Var v, Env env) {
        if (!v.fromWith()) {
            Lazy l = env.up(v.level()).slots[v.index()];
            if (l == null) throw new EvalException(v.pos(), "infinite recursion encountered");
            return l;
        }
        for (Env w = env.nearestWith; w != null; w = w.parent.nearestWith) {
            NixAttrs scope;
            try {
                scope = Force.attrs(w.slots[0], v.pos());
            } catch (EvalException e) {
                // Nix 2.8 forces a with's scope without a position
                throw e.pos().equals(v.pos()) ? e.withoutShownPosition() : e;
            }
            Lazy found = scope.get(v.name());
            if (found != null) return found;
        }
        throw new EvalException(v.pos(), "undefined variable '" + v.name() + "'");
    }

    public String attrName(AttrName n, Env env) {
        if (n.isStatic()) return n.name();
        return Force.stringNoContext(eval(n.dynamic(), env), n.dynamic().pos());
    }

    /**
     * {@code e.a.b}. As in Nix, once an attribute has been found, errors (in forcing it, or a later
     * missing attribute) get the frame "while evaluating the attribute 'a.b'" at the position where
     * the last attribute found was defined.
     */
    private Value select(Select s, Env env) {
        Value cur = eval(s.target(), env);
        Pos found = null;
        try {
            List<AttrName> path = s.path();
            for (int k = 0; k < path.size(); k++) {
                String name = attrName(path.get(k), env);
                if (s.orDefault() != null && !(cur instanceof NixAttrs)) return eval(s.orDefault(), env);
                NixAttrs a = Force.attrs(cur, s.pos());
                Lazy next = a.get(name);
                if (next == null) {
                    if (s.orDefault() != null) return eval(s.orDefault(), env);
                    throw new EvalException(s.pos(), "attribute '" + name + "' missing").suggest(a.names(), name);
                }
                // an attribute without a position (from mapAttrs, fromJSON, ...) earns no frame, as in Nix 2.8
                found = a.position(name);
                // Nix forces the last value on behalf of its definition, the others of this selection
                cur = next.force(k == path.size() - 1 && found != null ? found : s.pos());
            }
            return cur;
        } catch (EvalException ex) {
            if (found == null || found.file().equals(DerivationNix.FILE)) throw ex;
            throw ex.addTrace(found, "while evaluating the attribute '" + showPath(s.path(), env) + "'");
        }
    }

    private String showPath(List<AttrName> path, Env env) {
        StringBuilder sb = new StringBuilder();
        for (AttrName n : path) {
            if (!sb.isEmpty()) sb.append('.');
            String name;
            try {
                name = attrName(n, env);
            } catch (EvalException e) {
                name = "\"${...}\"";
            }
            sb.append(name);
        }
        return sb.toString();
    }

    private boolean hasAttr(HasAttr h, Env env) {
        Value cur = eval(h.target(), env);
        List<AttrName> path = h.path();
        for (int k = 0; k < path.size(); k++) {
            if (!(cur instanceof NixAttrs a)) return false;
            Lazy next = a.get(attrName(path.get(k), env));
            if (next == null) return false;
            if (k < path.size() - 1) cur = next.force(); // the last attribute itself stays unevaluated
        }
        return true;
    }

    private Value list(ListLit l, Env env) {
        List<Expr> exprs = l.items();
        Lazy[] items = new Lazy[exprs.size()];
        for (int k = 0; k < items.length; k++) items[k] = lazy(exprs.get(k), env);
        return NixList.wrap(items);
    }

    private Value call(Call c, Env env) {
        Value fn = eval(c.fn(), env);
        List<Expr> args = c.args();
        int k = 0;
        while (k < args.size()) {
            if (fn instanceof PrimOp p && p.arity() > 1 && args.size() - k >= p.arity()) {
                // all of a builtin's arguments at once: no partial applications in between
                Lazy[] given = new Lazy[p.arity()];
                for (int j = 0; j < given.length; j++) given[j] = lazy(args.get(k + j), env);
                fn = runPrimOp(p, given, c.pos());
                k += given.length;
            } else {
                fn = apply(fn, lazy(args.get(k), env), c.pos());
                k++;
            }
        }
        return fn;
    }

    /** Applies a function value (lambda, builtin, or set with {@code __functor}) to one argument. */
    public Value apply(Value fn, Lazy arg, Pos pos) {
        return switch (fn) {
            case Lambda l -> applyLambda(l, arg, pos);
            case PrimOp p -> p.arity() == 1 ? runPrimOp(p, new Lazy[] {arg}, pos) : new PrimOpApp(p, List.of(arg));
            case PrimOpApp pa -> {
                List<Lazy> given = pa.args();
                Lazy[] args = new Lazy[given.size() + 1];
                for (int k = 0; k < given.size(); k++) args[k] = given.get(k);
                args[given.size()] = arg;
                yield args.length == pa.op().arity()
                        ? runPrimOp(pa.op(), args, pos)
                        : new PrimOpApp(pa.op(), Arrays.asList(args));
            }
            case NixAttrs a when a.has("__functor") -> {
                Value functor = a.get("__functor").force();
                yield apply(apply(functor, a, pos), arg, pos);
            }
            default -> throw new EvalException(pos,
                    "attempt to call something which is not a function but " + fn.showType());
            // (lazily applied calls pass no position, as in Nix 2.8)
        };
    }

    public Value apply(Value fn, Pos pos, Lazy... args) {
        Value r = fn;
        for (Lazy a : args) r = apply(r, a, pos);
        return r;
    }

    /** Nix 2.8 adds no frame for builtins: errors inside them name the call's position. */
    private Value runPrimOp(PrimOp p, Lazy[] args, Pos pos) {
        return p.impl().apply(this, args, pos);
    }

    private Value applyLambda(Lambda l, Lazy arg, Pos pos) {
        Expr.Lambda lx = l.expr();
        Formals formals = lx.formals();
        Env env;
        if (formals == null) {
            env = l.env().child(1);
            env.slots[0] = arg;
        } else {
            env = l.env().child(formals.formals().size() + (lx.arg() == null ? 0 : 1));
            bindFormals(lx, formals, Force.attrs(arg, pos), env, pos);
            if (lx.arg() != null) env.slots[formals.formals().size()] = arg;
        }
        try {
            return eval(lx.body(), env);
        } catch (EvalException e) {
            if (lx.pos().file().equals(DerivationNix.FILE)) {
                // errors of the built-in derivation wrapper are the caller's: report them there
                throw e.pos().file().equals(DerivationNix.FILE) ? e.relocated(pos) : e;
            }
            throw e.addCallTrace(lx.pos(), "while evaluating " + (lx.name() == null ? "anonymous lambda" : "'" + lx.name() + "'"))
                    .addCallTrace(pos, "from call site");
        } catch (StackOverflowError e) {
            // Remember the call that went one level too deep. Boundary turns this into Nix's error;
            // no handler on the way there matches it, so the unwinding stays cheap.
            throw new Boundary.DeepRecursion(pos);
        }
    }

    private void bindFormals(Expr.Lambda lx, Formals formals, NixAttrs args, Env env, Pos pos) {
        int used = 0;
        List<Formal> fs = formals.formals();
        for (int k = 0, n = fs.size(); k < n; k++) {
            Formal f = fs.get(k);
            Lazy given = args.get(f.name());
            if (given != null) {
                env.slots[k] = given;
                used++;
            } else if (f.defaultValue() != null) {
                env.slots[k] = lazy(f.defaultValue(), env);
            } else {
                throw new EvalException(pos, describe(lx) + " called without required argument '" + f.name() + "'");
            }
        }
        if (!formals.ellipsis() && used != args.size()) {
            for (String name : args.names()) {
                if (fs.stream().noneMatch(f -> f.name().equals(name))) {
                    throw new EvalException(pos, describe(lx) + " called with unexpected argument '" + name + "'")
                            .suggest(fs.stream().map(Formal::name).toList(), name);
                }
            }
        }
    }

    /** The operand of {@code !}: Nix 2.8 reports it not being a Boolean without a position. */
    private static boolean boolOfNot(Value v, Pos pos) {
        try {
            return Force.bool(v, pos);
        } catch (EvalException e) {
            throw e.withoutShownPosition();
        }
    }

    /** An operand of {@code //}: Nix 2.8 reports it not being a set without a position. */
    private static NixAttrs unshownAttrs(Value v, Pos pos) {
        try {
            return Force.attrs(v, pos);
        } catch (EvalException e) {
            throw e.withoutShownPosition();
        }
    }

    /** Nix's {@code showNamePos}: {@code 'f' at file:line:col} or {@code anonymous function at ...}. */
    private static String describe(Expr.Lambda lx) {
        return (lx.name() == null ? "anonymous function" : "'" + lx.name() + "'") + " at " + lx.pos();
    }

    private Value binOp(BinOp b, Env env) {
        return switch (b.op()) {
            case EQ -> NixBool.of(Equality.equalValues(eval(b.left(), env), eval(b.right(), env), b.pos()));
            case NEQ -> NixBool.of(!Equality.equalValues(eval(b.left(), env), eval(b.right(), env), b.pos()));
            case AND -> NixBool.of(Force.bool(eval(b.left(), env), b.pos()) && Force.bool(eval(b.right(), env), b.pos()));
            case OR -> NixBool.of(Force.bool(eval(b.left(), env), b.pos()) || Force.bool(eval(b.right(), env), b.pos()));
            case IMPL -> NixBool.of(!Force.bool(eval(b.left(), env), b.pos()) || Force.bool(eval(b.right(), env), b.pos()));
            case UPDATE -> unshownAttrs(eval(b.left(), env), b.pos()).update(unshownAttrs(eval(b.right(), env), b.pos()));
            case CONCAT_LISTS -> concatLists(Force.list(eval(b.left(), env), b.pos()), Force.list(eval(b.right(), env), b.pos()));
        };
    }

    static NixList concatLists(NixList a, NixList b) {
        if (a.size() == 0) return b;
        if (b.size() == 0) return a;
        Lazy[] all = new Lazy[a.size() + b.size()];
        for (int k = 0; k < a.size(); k++) all[k] = a.get(k);
        for (int k = 0; k < b.size(); k++) all[a.size() + k] = b.get(k);
        return NixList.wrap(all);
    }

    /** {@code { file, line, column }} for a known position, else null. */
    public Value position(Pos p) {
        if (p == null || !p.known()) return NixNull.NULL;
        return NixAttrs.builder()
                .put("file", new NixString(p.file()))
                .put("line", new NixInt(p.line()))
                .put("column", new NixInt(p.column()))
                .build();
    }
}
