package dev.flotilla.controller.rollout.service;

import dev.flotilla.controller.config.ControllerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;

/** This controller replica: its name in rollout leases, and how long a lease lasts. */
@ApplicationScoped
public class Replica {

    private final String id;
    private final ControllerConfig config;

    public Replica(ControllerConfig config) {
        this.config = config;
        this.id = config.instanceId().orElseGet(Replica::hostName);
    }

    public String id() {
        return id;
    }

    public Instant leaseUntil() {
        return Instant.now().plus(config.rollouts().lease());
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "controller";
        }
    }
}
