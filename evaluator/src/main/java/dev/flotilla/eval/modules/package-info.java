/**
 * The module system and {@code lib}, Flotilla's own, written in Nix (the resources beside these
 * classes: {@code attrsets.nix}, {@code lists.nix}, {@code strings.nix}, {@code options.nix},
 * {@code types.nix}, {@code modules.nix}, {@code lib.nix}; the built-in host options
 * {@code host-options.nix}; the fleet driver {@code fleet.nix}) and evaluated like any other code,
 * with positions shown as {@code <flotilla>/lib/NAME.nix}.
 *
 * <p>API: {@link dev.flotilla.eval.modules.FleetEvaluator} evaluates the hosts of a fleet folder
 * (a pool of big-stack threads, one session each) into {@link dev.flotilla.eval.modules.HostEvaluation}s;
 * {@link dev.flotilla.eval.modules.Modules} runs {@code lib.evalModules} over module files, or an
 * expression given {@code lib}. Errors are {@link dev.flotilla.eval.EvalException}s; those the
 * module system raises (conflicts, type errors, unknown options) carry no position of their own,
 * since their message names the option and every place that defined it.
 *
 * <p>Depends on the evaluator's public API only. The fleet folder's user documentation is
 * {@code examples/web-fleet/README.md}.
 */
package dev.flotilla.eval.modules;
