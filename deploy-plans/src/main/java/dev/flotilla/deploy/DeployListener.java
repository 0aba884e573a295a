package dev.flotilla.deploy;

import java.time.Duration;

/** Progress of a deployment, one call per host and stage; called from worker threads. */
public interface DeployListener {

    void stage(String host, Stage stage, Duration elapsed, String detail);

    void finished(HostResult result);

    DeployListener NONE = new DeployListener() {
        @Override
        public void stage(String host, Stage stage, Duration elapsed, String detail) {}

        @Override
        public void finished(HostResult result) {}
    };
}
