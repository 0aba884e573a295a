package dev.flotilla.store.copy;

import java.time.Duration;

/**
 * What one closure copy did.
 *
 * @param pathsInClosure paths in the closure of the roots
 * @param pathsSent      paths the host lacked, sent and registered
 * @param narBytesSent   NAR bytes of those paths
 * @param wireBytesSent  everything written to the host, framing included
 */
public record CopyResult(int pathsInClosure, int pathsSent, long narBytesSent, long wireBytesSent, Duration elapsed) {
}
