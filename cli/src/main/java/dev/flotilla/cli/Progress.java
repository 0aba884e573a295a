package dev.flotilla.cli;

import dev.flotilla.deploy.DeployListener;
import dev.flotilla.deploy.DeployReport;

/** Shows a deployment as it happens and sums it up at the end. */
interface Progress extends DeployListener {
    void report(DeployReport report);
}
