package dev.flotilla.controller.rollout.service;

/** A driver tried to record progress of a rollout it no longer holds: it must stop driving it. */
public final class LeaseLost extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LeaseLost(Lease lease, String owner, long epoch) {
        super("rollout " + lease.rollout() + " is no longer driven by " + lease.owner() + " (token " + lease.epoch() + "): "
                + (owner == null ? "it ended or was released" : "now " + owner + ", token " + epoch), null, false, false);
    }
}
