package dev.flotilla.controller.rollout.service;

/**
 * A replica's right to drive one rollout: its name and the rollout's fencing token when it claimed
 * it. Every write checks both under the rollout row's lock, so once another replica has taken the
 * rollout over (raising the token), a driver that was paused or cut off can record nothing more.
 */
public record Lease(long rollout, String owner, long epoch) {}
