package dev.flotilla.controller.rollout.rest;

import dev.flotilla.controller.auth.Role;
import dev.flotilla.controller.common.ApiException;
import dev.flotilla.controller.rollout.service.RolloutService;
import dev.flotilla.controller.rollout.service.RolloutViews.EventView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * Server-sent events of one rollout: every event stored so far, then each new one as it is recorded,
 * in order and without gaps ({@code id} is the event's number, so a client reconnects with
 * {@code Last-Event-ID}); the stream ends after the rollout's last event.
 */
@Path("/api/v1/rollouts/{id}/stream")
@Tag(name = "rollouts")
public class RolloutStreamResource {

    private static final Logger LOG = Logger.getLogger(RolloutStreamResource.class);
    private static final int BATCH = 500;
    private static final long POLL_MILLIS = 1000;

    private final RolloutService rollouts;

    public RolloutStreamResource(RolloutService rollouts) {
        this.rollouts = rollouts;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RolesAllowed(Role.VIEW)
    @Operation(summary = "Follow a rollout's events live (SSE)")
    public void stream(@PathParam("id") long id, @HeaderParam("Last-Event-ID") String lastEventId, @QueryParam("after") Long after,
                       @Context SseEventSink sink, @Context Sse sse) {
        long from = after != null ? after : parse(lastEventId);
        if (rollouts.events(id, from, 1).isEmpty()) {
            throw ApiException.notFound("rollout " + id);
        }
        Thread.ofVirtual().name("rollout-stream-" + id).start(() -> pump(id, from, sink, sse));
    }

    private void pump(long id, long from, SseEventSink sink, Sse sse) {
        long last = from;
        try (sink) {
            while (!sink.isClosed()) {
                long seen = rollouts.signals().version();
                boolean done = rollouts.finished(id);
                List<EventView> batch = rollouts.events(id, last, BATCH).orElse(List.of());
                for (EventView e : batch) {
                    sink.send(sse.newEventBuilder().id(Long.toString(e.seq())).name(e.kind().name().toLowerCase(Locale.ROOT))
                            .mediaType(MediaType.APPLICATION_JSON_TYPE).data(EventView.class, e).build())
                            .toCompletableFuture().get();
                    last = e.seq();
                }
                if (batch.isEmpty()) {
                    if (done) {
                        return;
                    }
                    rollouts.signals().awaitChange(seen, POLL_MILLIS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.debugf("rollout %d stream closed by the client: %s", id, e.getCause());
        } catch (RuntimeException e) {
            LOG.warnf(e, "rollout %d stream failed", id);
        }
    }

    private static long parse(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return 0;
        }
        try {
            return Long.parseLong(lastEventId.trim());
        } catch (NumberFormatException e) {
            throw ApiException.invalid("Last-Event-ID", "Last-Event-ID must be an event number, got '" + lastEventId + "'");
        }
    }
}
